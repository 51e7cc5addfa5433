import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { classifyMessage } from '../../handlers/incoming-message.ts';

const updates = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'telegram', 'updates.json'), 'utf8')) as Record<string, { message?: Message; edited_message?: Message }>;
const message = (name: string) => (updates[name]!.message ?? updates[name]!.edited_message)!;
const options = { botUsername: 'Hermes_Test_Bot', edited: false, editWindowSeconds: 600, nowSeconds: 1764620610 };

describe('classifyMessage', () => {
  it('matches its own username in commands case-insensitively', () => {
    expect(classifyMessage(message('command_for_us'), options).kind).toBe('turn');
    expect(classifyMessage(message('command_for_other_bot'), options)).toEqual({ kind: 'ignore', reason: 'command for @other_bot' });
  });

  it('offers the photo sizes smallest first, with the caption and message id', () => {
    const action = classifyMessage(message('photo_with_caption'), options);
    expect(action).toMatchObject({ kind: 'media', text: 'What colour is the square in this picture?', messageId: 501 });
    expect(action.kind === 'media' && action.files.map((file) => file.size)).toEqual([1043, 4311, 9_400_000]);
  });

  it('reads an animation as a GIF, not as the document Telegram also attaches', () => {
    const gif = { ...message('document_text'), animation: { file_id: 'g', file_unique_id: 'gu', width: 1, height: 1, duration: 2, mime_type: 'video/mp4' }, document: { file_id: 'g', file_unique_id: 'gu', mime_type: 'video/mp4' } } as Message;
    const action = classifyMessage(gif, options);
    expect(action.kind === 'media' && action.files[0]!.kind).toBe('animation');
  });

  it('brings back a photo, file or voice note the user replies to, but not a GIF', () => {
    const photo = message('photo_with_caption');
    const reply = { ...message('location'), location: undefined, text: 'and this?', reply_to_message: photo } as Message;
    expect(classifyMessage(reply, options)).toMatchObject({ kind: 'media', files: photo.photo!.map((size) => expect.objectContaining({ fileId: size.file_id })) });
    const toGif = { ...reply, reply_to_message: { ...photo, photo: undefined, animation: { file_id: 'g', file_unique_id: 'gu', width: 1, height: 1, duration: 2 } } } as Message;
    expect(classifyMessage(toGif, options)).toEqual({ kind: 'turn', text: 'and this?', edited: false });
  });

  it('names the file replied to as a person would: a voice note, an audio file', () => {
    const reply = { ...message('location'), location: undefined, text: 'what did I say?' } as Message;
    const toVoice = { ...reply, reply_to_message: { ...message('location'), location: undefined, voice: { file_id: 'v', file_unique_id: 'vu', duration: 3 } } } as Message;
    expect(classifyMessage(toVoice, options)).toMatchObject({ kind: 'media', text: '(This message replies to a voice note sent earlier, attached again.)\nwhat did I say?' });
    const toAudio = { ...reply, reply_to_message: { ...message('location'), location: undefined, audio: { file_id: 'a', file_unique_id: 'au', duration: 3 } } } as Message;
    expect(classifyMessage(toAudio, options)).toMatchObject({ kind: 'media', text: expect.stringMatching(/^\(This message replies to an audio file sent earlier/) });
  });

  it('answers a fresh edit of a caption and ignores a live-location edit', () => {
    const captionEdit = { ...message('photo_with_caption'), caption: 'What shape is it?', edit_date: 1764620030 } as Message;
    const action = classifyMessage(captionEdit, { ...options, edited: true });
    expect(action).toMatchObject({ kind: 'turn', edited: true });
    expect(action.kind === 'turn' && action.text).toMatch(/caption of a photo sent earlier.*\n\nWhat shape is it\?$/s);
    const liveLocation = { ...message('location'), edit_date: 1764620010 } as Message;
    expect(classifyMessage(liveLocation, { ...options, edited: true })).toEqual({ kind: 'ignore', reason: 'edit without text' });
  });

  it('honours the edit window exactly', () => {
    const edit = (seconds: number) => ({ ...message('edited_text'), edit_date: 1764620000 + seconds }) as Message;
    expect(classifyMessage(edit(600), { ...options, edited: true }).kind).toBe('turn');
    expect(classifyMessage(edit(601), { ...options, edited: true })).toEqual({ kind: 'ignore', reason: 'edit of an old message' });
  });

  it('ignores the edited_message Telegram sends for a reaction: no edit date, or the date of an edit already answered', () => {
    const { edit_date: _never, ...reacted } = message('edited_text');
    expect(classifyMessage(reacted as Message, { ...options, edited: true })).toEqual({ kind: 'ignore', reason: 'no edit of the text (a reaction or another field changed)' });
    const editedThenReacted = message('edited_text');
    expect(classifyMessage(editedThenReacted, { ...options, edited: true, nowSeconds: editedThenReacted.edit_date! + 601 })).toEqual({ kind: 'ignore', reason: 'the edit was made long ago' });
  });

  it("leaves an edit's age to the webhook where it was judged on arrival (the queue's worker may run much later)", () => {
    const edit = message('edited_text');
    const { nowSeconds: _judgedOnArrival, ...queued } = { ...options, edited: true };
    expect(classifyMessage(edit, queued)).toMatchObject({ kind: 'turn', edited: true });
  });

  it('ignores an edited command, which grammY does not route to commands', () => {
    const command = message('command_for_us');
    expect(classifyMessage({ ...command, edit_date: command.date + 5 } as Message, { ...options, edited: true, nowSeconds: command.date + 6 })).toEqual({ kind: 'ignore', reason: 'edited command' });
  });

  it.each([
    ['🎲', 6, '🎲 You rolled 6!'],
    ['🎯', 6, '🎯 6 of 6: the top result, a win! 🎉'],
    ['🎯', 3, '🎯 It came up 3 of 6.'],
    ['🎳', 2, '🎳 It came up 2 of 6.'],
    ['🏀', 5, '🏀 5 of 5: the top result, a win! 🎉'],
    ['⚽', 4, '⚽ It came up 4 of 5.'],
    ['🎰', 64, '🎰 64 of 64: the jackpot! 🎉'],
    ['🎰', 22, '🎰 It came up 22 of 64.'],
  ])('describes %s with value %i truthfully: only a die is rolled, and only its top value is a documented win', (emoji, value, text) => {
    const dice = { ...message('sticker'), sticker: undefined, dice: { emoji, value } } as Message;
    expect(classifyMessage(dice, options)).toEqual({ kind: 'reply', text });
  });

  it('gives a dice roll its value and ignores a message with no known content', () => {
    const dice = { ...message('sticker'), sticker: undefined, dice: { emoji: '🎲', value: 4 } } as Message;
    expect(classifyMessage(dice, options)).toEqual({ kind: 'reply', text: '🎲 You rolled 4!' });
    const boost = { ...message('pinned_message'), pinned_message: undefined, boost_added: { boost_count: 2 } } as Message;
    expect(classifyMessage(boost, options)).toEqual({ kind: 'ignore', reason: 'service message' });
  });

  it('writes the address of a hidden link after its words, counting offsets as Telegram does (UTF-16)', () => {
    expect(classifyMessage(message('text_link'), options)).toEqual({ kind: 'turn', text: '📌 Read this article (https://example.com/long-read?id=42) tomorrow', edited: false });
    const photo = { ...message('photo_with_caption'), caption: 'menu here', caption_entities: [{ type: 'text_link', offset: 0, length: 4, url: 'https://example.com/menu' }] } as Message;
    expect(classifyMessage(photo, options)).toMatchObject({ kind: 'media', text: 'menu (https://example.com/menu) here' });
  });

  it('reads the words of a rich formatted message, such as another bot\'s answer forwarded', () => {
    expect(classifyMessage(message('rich_message'), options)).toEqual({
      kind: 'turn',
      text: 'Pancakes\n1. 200 g flour\n2. 2 eggs\n---\nFull recipe (https://example.com/pancakes)',
      edited: false,
    });
  });

  it('keeps the ordinary emoji of a custom one, and a photo block\'s caption and credit', () => {
    const rich = {
      ...message('rich_message'),
      rich_message: {
        blocks: [
          { type: 'paragraph', text: ['Done ', { type: 'custom_emoji', custom_emoji_id: '5368324170671202286', alternative_text: '✅' }] },
          { type: 'photo', photo: [{ file_id: 'AgACAgIAAxkBAAIRich', file_unique_id: 'AQADrich', width: 90, height: 90 }], caption: { text: 'The finished cake', credit: 'Photo: Ada' } },
        ],
      },
    } as unknown as Message;
    expect(classifyMessage(rich, options)).toMatchObject({ kind: 'turn', text: 'Done ✅\n[photo]\nThe finished cake\nPhoto: Ada' });
  });

  it("says it cannot open a forwarded invoice or giveaway, instead of leaving the user without an answer", () => {
    const giveaway = { ...message('forwarded_text'), text: undefined, giveaway: { chats: [{ id: -1001, type: 'channel', title: 'Shop' }], winners_selection_date: 1764700000, winner_count: 3 } } as unknown as Message;
    expect(classifyMessage(giveaway, options)).toMatchObject({ kind: 'reply', text: expect.stringMatching(/can't open that kind of message/) });
  });
});
