import { readFileSync } from 'node:fs';
import type { Turn } from '../agent/ports/session-store.ts';
import { turnId } from '../agent/session-keys.ts';

interface ChatFixture {
  exchanges: Array<{ user: string; assistant: string }>;
  summary: string;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/chat-turns.json', import.meta.url), 'utf8')) as ChatFixture;

export const SUMMARY_TEXT = fixture.summary;

/** The n-th user message of an endless conversation that cycles through the fixture. */
export function userText(n: number): string {
  return fixture.exchanges[n % fixture.exchanges.length]!.user;
}

const answers = new Map(fixture.exchanges.map((exchange) => [exchange.user, exchange.assistant]));

/** The fixture's answer to a user message, so model replies have realistic length too. */
export function answerTo(text: string): string {
  return answers.get(text) ?? 'Noted.';
}

/** A turn as the agent loop stores it: the user message, then the assistant's text parts. */
export function storedTurn(n: number, receivedAt: number): Turn {
  const text = userText(n);
  return {
    id: turnId(receivedAt, String(n).padStart(12, '0')),
    at: receivedAt,
    messages: [
      { role: 'user', content: text },
      { role: 'assistant', content: [{ type: 'text', text: answerTo(text) }] },
    ],
  };
}
