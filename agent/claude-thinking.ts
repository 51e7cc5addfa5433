/**
 * How each Claude model on Bedrock thinks, from Anthropic's model pages, "What's new" guides and "Preserved
 * thinking" (platform.claude.com, read 2026-12-02; the same rules hold on Amazon Bedrock):
 * - Sonnet 5.5 thinks adaptively unless asked for `thinking: {type: "between_tools"}`, its lowest setting;
 *   `"disabled"` is refused with a 400, and `between_tools` is refused at effort xhigh or max.
 * - Opus 5.5 and later, Fable, Mythos, Opus 4.7 and 4.8 always think; the least they do is adaptive at effort low.
 * - Sonnet 5, Opus 5 and Haiku 5.5 think adaptively unless sent `thinking: {type: "disabled"}`.
 * - Older models think only when asked, so a request that says nothing about thinking does not think.
 * - Fable and Mythos from 5.1, and Opus, Sonnet and Haiku from 5.5, have "preserved thinking": a thinking block sent
 *   back is valid only if the system prompt, the tools and every message before it are unchanged since the model
 *   wrote it. Otherwise the request is refused ("The block is bound to a different conversation") or the block is
 *   dropped, by account.
 */
export type ClaudeThinkingOff = 'between-tools' | 'least-effort' | 'disabled' | 'unasked';

export interface ClaudeVersion {
  family: string;
  version: number;
}

/** `anthropic.claude-sonnet-5-5`, `us.anthropic.claude-haiku-4-5-20251001-v1:0`, `anthropic.claude-opus-5`. */
const CLAUDE_ID = /anthropic\.claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d{1,2})(?!\d))?/;

export function claudeVersion(modelId: string): ClaudeVersion | undefined {
  const match = CLAUDE_ID.exec(modelId);
  if (!match) return undefined;
  return { family: match[1]!, version: Number(match[2]) + Number(match[3] ?? 0) / 10 };
}

/** What `HERMES_REASONING=off` must send a Claude model for it to think least; undefined for other models. */
export function claudeThinkingOff(modelId: string): ClaudeThinkingOff | undefined {
  const claude = claudeVersion(modelId);
  if (!claude) return undefined;
  const { family, version } = claude;
  if (family === 'sonnet' && version >= 5.5) return 'between-tools';
  if (family === 'fable' || family === 'mythos' || (family === 'opus' && (version >= 5.5 || (version >= 4.7 && version < 5)))) return 'least-effort';
  if (version >= 5) return 'disabled';
  return 'unasked';
}

/** Whether thinking blocks sent back to this model are checked against everything before them. */
export function hasPreservedThinking(modelId: string): boolean {
  const claude = claudeVersion(modelId);
  if (!claude) return false;
  return claude.family === 'fable' || claude.family === 'mythos' ? claude.version >= 5.1 : claude.version >= 5.5;
}
