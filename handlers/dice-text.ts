import type { Dice } from 'grammy/types';

/**
 * The highest value of each animated emoji: 1-6 for 🎲 🎯 🎳, 1-5 for 🏀 ⚽, 1-64 for 🎰 (Dice, Bot API docs,
 * https://core.telegram.org/bots/api#dice, checked 2026-12-02).
 */
const TOP_VALUE: Readonly<Record<string, number>> = { '🎲': 6, '🎯': 6, '🎳': 6, '🏀': 5, '⚽': 5, '🎰': 64 };

/**
 * The bot's answer to an animated emoji. Only 🎲 is a die that is rolled. What the other values show is not in the Bot
 * API; Telegram's client documentation says only that each emoji's top value is its "winning" one, which the apps
 * celebrate with fireworks (https://core.telegram.org/api/dice, checked 2026-12-02). So a top value is called a win
 * (the jackpot on 🎰), and any other value is given as it is, out of its top, without guessing at a miss or a score.
 */
export function diceText({ emoji, value }: Pick<Dice, 'emoji' | 'value'>): string {
  if (emoji === '🎲') return `🎲 You rolled ${value}!`;
  const top = TOP_VALUE[emoji];
  if (top === undefined) return `${emoji} It came up ${value}.`;
  if (value === top) return emoji === '🎰' ? `🎰 ${value} of ${top}: the jackpot! 🎉` : `${emoji} ${value} of ${top}: the top result, a win! 🎉`;
  return `${emoji} It came up ${value} of ${top}.`;
}
