import type { Config } from '../agent/config.ts';
import type { MediaLibrary } from '../tools/ports/media-library.ts';

/** The received files media_view reopens; the media code loads only when the tool is used, never for a text turn. */
export function chatMediaLibrary(config: Config): MediaLibrary {
  return { reopen: async (key, options) => (await import('./media/reopen-media.ts')).reopenMedia(config, key, options) };
}
