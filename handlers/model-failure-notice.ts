/**
 * What the chat is told when the model gave no answer to a message: why, in the ModelError's own words (never the
 * provider's), and that the message is kept. A retry of the update, which finds the message stored without an
 * answer, tells it again rather than sending an empty answer.
 */
export function modelFailureNotice(reason = 'The model did not answer this message.', { lasting = false }: { lasting?: boolean } = {}): string {
  return `⚠️ ${reason}\nYour message is saved; ${lasting ? 'trying again will not help until that is fixed.' : 'try again in a moment.'}`;
}
