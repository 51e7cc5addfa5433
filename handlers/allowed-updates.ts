/**
 * The update types the bot handles (telegram-bot.ts), the stop button of a draft included; the webhook and the
 * long-polling start both ask for exactly these, so no other kind is delivered (and, on AWS, paid for) for nothing.
 */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'stopped_message_generation'] as const;
