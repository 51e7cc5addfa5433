import type { ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { boundTurnMessages, DROPPED_STEPS_NOTE, FILE_NOT_KEPT_NOTE, MAX_TURN_BYTES, turnBytes } from '../../agent/turn-size.ts';

function toolStep(index: number, inputChars: number, reasoningChars: number): ModelMessage[] {
  return [
    {
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'r'.repeat(reasoningChars) },
        { type: 'tool-call', toolCallId: `c${index}`, toolName: 'skill_manage', input: { action: 'write_file', file_content: 'x'.repeat(inputChars) } },
      ],
    },
    { role: 'tool', content: [{ type: 'tool-result', toolCallId: `c${index}`, toolName: 'skill_manage', output: { type: 'json', value: { success: true } } }] },
  ];
}

const user: ModelMessage = { role: 'user', content: 'save it' };
const answer: ModelMessage = { role: 'assistant', content: [{ type: 'text', text: 'Saved.' }] };

describe('boundTurnMessages', () => {
  it('keeps no file a tool showed the model (media_view), however small: a note stands in for it', () => {
    const image = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const shown: ModelMessage = {
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'v1',
          toolName: 'media_view',
          output: { type: 'content', value: [{ type: 'text', text: 'media:77/AQADm1.png (image/png) is attached.' }, { type: 'file', data: { type: 'data', data: image }, mediaType: 'image/png' }] },
        },
      ],
    };
    const [, stored] = boundTurnMessages([user, shown, answer]);
    expect(stored).toEqual({
      role: 'tool',
      content: [
        {
          type: 'tool-result',
          toolCallId: 'v1',
          toolName: 'media_view',
          output: { type: 'content', value: [{ type: 'text', text: 'media:77/AQADm1.png (image/png) is attached.' }, { type: 'text', text: FILE_NOT_KEPT_NOTE }] },
        },
      ],
    });
  });

  it('leaves a small turn exactly as it is', () => {
    const turn = [user, ...toolStep(0, 100, 100), answer];
    expect(boundTurnMessages(turn)).toEqual(turn);
  });

  it('clips a huge tool-call input, keeping the call shape and the reasoning of the message that made it word for word', () => {
    const bounded = boundTurnMessages([user, ...toolStep(0, 600_000, 50_000), answer]);
    expect(turnBytes(bounded)).toBeLessThanOrEqual(MAX_TURN_BYTES);
    const parts = bounded[1]!.content as Array<{ type: string; text?: string; input?: { action: string; file_content: string } }>;
    expect(parts.map((part) => part.type)).toEqual(['reasoning', 'tool-call']);
    expect(parts[0]!.text).toBe('r'.repeat(50_000));
    expect(parts[1]!.input!.action).toBe('write_file');
    expect(parts[1]!.input!.file_content).toMatch(/^x+\n\[… \d+ characters clipped\]$/);
  });

  it('never clips the reasoning of a tool-calling message (providers require it whole): too large, the turn falls back to its last-resort form', () => {
    const bounded = boundTurnMessages([user, ...toolStep(0, 1_000, 500_000), answer]);
    expect(bounded).toEqual([user, { role: 'assistant', content: `Saved.\n\n${DROPPED_STEPS_NOTE}` }]);
  });

  it('clips huge reasoning of a message without tool calls like text', () => {
    const thinking: ModelMessage = { role: 'assistant', content: [{ type: 'reasoning', text: 'r'.repeat(500_000) }, { type: 'text', text: 'Saved.' }] };
    const [, stored] = boundTurnMessages([user, thinking]);
    expect((stored!.content as Array<{ text: string }>)[0]!.text).toMatch(/^r+\n\[… \d+ characters clipped\]$/);
  });

  it('turns arguments large by their number of fields into one clipped string', () => {
    const input = Object.fromEntries(Array.from({ length: 20_000 }, (_, index) => [`k${index}`, index]));
    const turn: ModelMessage[] = [user, { role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'memory', input }] }];
    const bounded = boundTurnMessages(turn);
    const call = (bounded[1]!.content as Array<{ input: { clipped_arguments?: string } }>)[0]!;
    expect(call.input.clipped_arguments).toMatch(/characters clipped\]$/);
  });

  it('keeps a long answer whole while the turn fits, since a retry that lost the reply sends the stored one', () => {
    const guide = 'Step by step, with care. '.repeat(1_200); // 30,000 characters, past the clip of other parts
    const turn: ModelMessage[] = [user, ...toolStep(0, 30_000, 100), { role: 'assistant', content: [{ type: 'text', text: guide }] }];
    const bounded = boundTurnMessages(turn);
    expect(bounded.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: guide }] });
    expect(JSON.stringify(bounded[1])).toMatch(/characters clipped/);
  });

  it('keeps the user message and the answer when even the smallest clip of every part does not fit', () => {
    const steps = Array.from({ length: 1_500 }, (_, index) => toolStep(index, 5_000, 5_000)).flat();
    const bounded = boundTurnMessages([user, ...steps, answer]);
    expect(bounded).toEqual([user, { role: 'assistant', content: `Saved.\n\n${DROPPED_STEPS_NOTE}` }]);
  });

  it('clips text at a whole character, never half an emoji (a provider refuses the history holding one)', () => {
    const bounded = boundTurnMessages([{ role: 'user', content: `a${'😀'.repeat(12_500)}` }, answer]);
    const text = bounded[0]!.content as string;
    expect(text).toMatch(/characters clipped\]$/);
    expect(text.isWellFormed()).toBe(true);
  });

  it('always fits, even for a huge user message and a huge answer of four-byte characters', () => {
    const emoji = '😀'.repeat(400_000);
    const steps = Array.from({ length: 2_000 }, (_, index) => toolStep(index, 10, 10)).flat();
    const bounded = boundTurnMessages([{ role: 'user', content: emoji }, ...steps, { role: 'assistant', content: emoji }]);
    expect(turnBytes(bounded)).toBeLessThanOrEqual(MAX_TURN_BYTES);
    expect(bounded[0]!.role).toBe('user');
  });
});
