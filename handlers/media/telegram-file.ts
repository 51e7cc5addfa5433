import type { Api } from 'grammy';
import { MediaError } from './media-error.ts';

/** However much time the turn has left, one download gets at most this long. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

export interface FileDownload {
  api: Api;
  token: string;
  apiRoot?: string;
  fileId: string;
  /** What the user is told the file is, e.g. "photo". */
  label: string;
  maxBytes: number;
  /** Ends the download when the turn has no more time for it. */
  abortSignal?: AbortSignal;
}

/**
 * Fetches a file the way the Bot API hands it out: getFile gives a `file_path`, downloadable at
 * `<apiRoot>/file/bot<token>/<file_path>` for at least an hour. Bots may download up to 20 MB
 * (core.telegram.org/bots/api#getfile, read 2026-12-01); larger files are refused before any download.
 */
export async function downloadTelegramFile(request: FileDownload): Promise<Uint8Array> {
  const { label, maxBytes } = request;
  const tooBig = (size: number) => new MediaError(`That ${label} is ${megabytes(size)}; I can read files up to ${megabytes(maxBytes)}.`);
  let file;
  try {
    file = await request.api.getFile(request.fileId);
  } catch (error) {
    if (error instanceof Error && /file is too big/i.test(error.message)) throw tooBig(Number.POSITIVE_INFINITY);
    throw new MediaError(`I couldn't download that ${label} from Telegram. Please send it again.`, { cause: error });
  }
  if (file.file_size !== undefined && file.file_size > maxBytes) throw tooBig(file.file_size);
  if (!file.file_path) throw new MediaError(`Telegram did not give me a link to that ${label}. Please send it again.`);
  const url = `${request.apiRoot ?? 'https://api.telegram.org'}/file/bot${request.token}/${file.file_path}`;
  // The abort usually lands while the body is still arriving, so reading it is guarded too.
  try {
    const response = await fetch(url, { signal: AbortSignal.any([AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), ...(request.abortSignal ? [request.abortSignal] : [])]) });
    if (!response.ok) throw new MediaError(`I couldn't download that ${label} from Telegram (HTTP ${response.status}). Please send it again.`);
    const content = new Uint8Array(await response.arrayBuffer());
    if (content.byteLength > maxBytes) throw tooBig(content.byteLength);
    return content;
  } catch (error) {
    if (error instanceof MediaError) throw error;
    if (request.abortSignal?.aborted || (error instanceof Error && error.name === 'TimeoutError')) {
      throw new MediaError(`Downloading that ${label} from Telegram took longer than I can wait. Please send it again, or a smaller one.`, { cause: error });
    }
    throw new MediaError(`I couldn't download that ${label} from Telegram. Please send it again.`, { cause: error });
  }
}

export function megabytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'over 20 MB';
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
