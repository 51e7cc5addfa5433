import type { Api } from 'grammy';
import type { TurnInput } from '../../agent/agent-loop.ts';
import type { Runtime } from '../../agent/runtime.ts';
import type { IncomingAction } from '../incoming-message.ts';

export interface MediaTurnRequest {
  runtime: Runtime;
  api: Api;
  token: string;
  apiRoot?: string;
  chatId: number;
  action: Extract<IncomingAction, { kind: 'media' }>;
}

export type MediaTurn = { kind: 'turn'; text: string; parts?: TurnInput['parts']; replyPrefix?: string } | { kind: 'reply'; text: string };

/** Turns a media message into model input: the caption always, plus whatever the files could be made into. */
export async function prepareMediaTurn(request: MediaTurnRequest): Promise<MediaTurn> {
  const { action } = request;
  const file = action.files.at(-1)!;
  const note = `[The user sent a ${file.kind.replace('_', ' ')}${file.fileName ? ` named "${file.fileName}"` : ''}, which I cannot open.]`;
  if (!action.text) return { kind: 'reply', text: `I can't open a ${file.kind.replace('_', ' ')} yet. Tell me in words what you need.` };
  return { kind: 'turn', text: `${note}\n\n${action.text}` };
}
