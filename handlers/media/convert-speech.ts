import type { Conversion } from './convert-file.ts';
import { MediaError } from './media-error.ts';

export async function convertSpeech(_request: unknown): Promise<Conversion> {
  throw new MediaError('I can\'t listen to voice notes yet; please type your message.');
}
