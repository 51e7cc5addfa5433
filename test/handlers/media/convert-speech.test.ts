import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffAudioFormat } from '../../../handlers/media/convert-speech.ts';

describe('sniffAudioFormat', () => {
  it('knows a voice note as Ogg', () => {
    expect(sniffAudioFormat(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'media', 'voice-reminder.ogg')))).toBe('ogg');
  });

  it('takes an MPEG Layer III frame for MP3, with or without an ID3 tag', () => {
    expect(sniffAudioFormat(Uint8Array.of(0xff, 0xfb, 0x90, 0x64, 0x00))).toBe('mp3');
    expect(sniffAudioFormat(Uint8Array.of(0x49, 0x44, 0x33, 0x04, 0x00))).toBe('mp3');
  });

  it('does not take raw AAC (ADTS) for MP3: it shares the sync bits, but Transcribe reads no raw AAC', () => {
    expect(sniffAudioFormat(Uint8Array.of(0xff, 0xf1, 0x50, 0x80, 0x02, 0x1f, 0xfc))).toBeUndefined();
    expect(sniffAudioFormat(Uint8Array.of(0xff, 0xf9, 0x50, 0x80, 0x02, 0x1f, 0xfc))).toBeUndefined();
  });
});
