import { cronjobTool } from './cronjob.ts';
import { mediaViewTool } from './media-view.ts';
import { memoryRecallTool } from './memory-recall.ts';
import { memoryTool } from './memory.ts';
import { skillManageTool } from './skill-manage.ts';
import { skillViewTool } from './skill-view.ts';
import { skillsListTool } from './skills-list.ts';
import type { ToolContext, ToolDeps } from './tool-context.ts';

/** The tool set for one turn, bound to the user and chat the turn belongs to. */
export function createTools(deps: ToolDeps, ctx: ToolContext) {
  return {
    cronjob: cronjobTool(deps, ctx),
    skills_list: skillsListTool(deps),
    skill_view: skillViewTool(deps),
    skill_manage: skillManageTool(deps, ctx),
    memory: memoryTool(deps, ctx),
    memory_recall: memoryRecallTool(deps, ctx),
    media_view: mediaViewTool(deps, ctx),
  };
}

export type HermesTools = ReturnType<typeof createTools>;
