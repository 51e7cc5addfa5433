import { HermesError } from '../../tools/errors.ts';

/** A file that could not be fetched or read; the message is written for the user and holds no paths or tokens. */
export class MediaError extends HermesError {}
