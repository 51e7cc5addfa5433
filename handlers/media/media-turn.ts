import type { Api } from 'grammy';
import type { TurnInput } from '../../agent/agent-loop.ts';
import type { Runtime } from '../../agent/runtime.ts';
import type { IncomingAction, IncomingFile } from '../incoming-message.ts';
import { convertFile, labelOf, type Conversion } from './convert-file.ts';
import { MediaError } from './media-error.ts';

export interface MediaTurnRequest {
  runtime: Runtime;
  api: Api;
  token: string;
  apiRoot?: string;
  chatId: number;
  action: Extract<IncomingAction, { kind: 'media' }>;
}

export type MediaTurn = { kind: 'turn'; text: string; parts?: TurnInput['parts']; replyPrefix?: string } | { kind: 'reply'; text: string };

/**
 * Turns a media message into model input. The caption always reaches the model. When the file cannot be used
 * (too large, an unsupported kind, a model without vision) the user is told why, and the caption is still answered.
 */
export async function prepareMediaTurn(request: MediaTurnRequest): Promise<MediaTurn> {
  const { action } = request;
  const file = chooseFile(action.files, request.runtime.config.media.imageMaxBytes);
  let conversion: Conversion;
  try {
    conversion = await convertFile({ ...request, file });
  } catch (error) {
    if (!(error instanceof MediaError)) throw error;
    request.runtime.log.info('received file not used', { kind: file.kind, reason: error.message, cause: error.cause });
    if (!action.text) return { kind: 'reply', text: error.message };
    return {
      kind: 'turn',
      text: `[The user sent a ${labelOf(file)} that could not be used: ${error.message} They were told so; answer their caption.]\n\n${action.text}`,
      replyPrefix: `${error.message}\n\n`,
    };
  }
  const caption = action.text || conversion.defaultCaption;
  return {
    kind: 'turn',
    text: [conversion.note, caption].filter(Boolean).join('\n\n'),
    ...(conversion.parts.length ? { parts: conversion.parts } : {}),
    ...(conversion.replyPrefix ? { replyPrefix: conversion.replyPrefix } : {}),
  };
}

/**
 * A photo comes in several sizes, smallest first. The largest that fits the image limit keeps the most detail
 * the model accepts; a size Telegram did not measure is tried only if no measured one fits.
 */
function chooseFile(files: IncomingFile[], imageMaxBytes: number): IncomingFile {
  if (files[0]?.kind !== 'photo') return files[0]!;
  const fitting = files.filter((file) => file.size !== undefined && file.size <= imageMaxBytes);
  // When none fits, the smallest is the one to report: even it is too large.
  return fitting.at(-1) ?? files.find((file) => file.size === undefined) ?? files[0]!;
}
