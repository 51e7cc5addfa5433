import { describe, expect, it } from 'vitest';
import type { MediaItem } from '../../../handlers/media/media-file.ts';
import { turnFromItems } from '../../../handlers/media/media-turn.ts';

const MB = 1024 * 1024;

/** An image file of an album, converted: its note and its bytes for the model. */
function imageFile(index: number, bytes: number): MediaItem {
  return {
    caption: index === 0 ? 'which of these is sharpest?' : '',
    label: `file "IMG_${index}.jpg"`,
    result: { ok: { note: `[The user sent file "IMG_${index}.jpg", media:77/AQAD${index}.jpg]`, parts: [{ type: 'file', data: new Uint8Array(bytes), mediaType: 'image/jpeg' }] } },
  };
}

describe('a media message as one turn', () => {
  it('sends the files of an album that fit in one request, and tells of the rest instead of making a request the provider refuses', () => {
    // Ten 3 MB photos sent as files: 30 MB, past the 16 MB a Bedrock request carries here.
    const turn = turnFromItems(Array.from({ length: 10 }, (_, index) => imageFile(index, 3 * MB)), { mediaBytes: 16 * MB });
    expect(turn.kind).toBe('turn');
    if (turn.kind !== 'turn') return;
    expect(turn.parts).toHaveLength(5);
    expect(turn.text).toContain('[The user sent a file "IMG_5.jpg" that could not be used: Together these files are more than the 16 MB I can look at in one message; please send the others in another message. They were told so.]');
    expect(turn.text).toContain('which of these is sharpest?');
    expect(turn.replyPrefix).toBe('Together these files are more than the 16 MB I can look at in one message; please send the others in another message.\n\n');
  });

  it('sends every file when they fit', () => {
    const turn = turnFromItems([imageFile(0, 2 * MB), imageFile(1, 2 * MB)], { mediaBytes: 16 * MB });
    expect(turn.kind === 'turn' && turn.parts).toHaveLength(2);
  });
});
