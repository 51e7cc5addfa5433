import type { Poll } from 'grammy/types';

/** A poll as the model reads it: its question, its options and what else its author wrote (Bot API, Poll). */
export function pollText(poll: Poll): string {
  // An option's voter_count "may be 0 if unknown" (results hidden until the poll closes), so counts show only once some are known.
  const counted = poll.options.some((option) => option.voter_count > 0);
  const votes = (count: number) => (counted ? ` (${count} ${count === 1 ? 'vote' : 'votes'})` : '');
  const options = poll.options.map((option, index) => `${index + 1}. ${option.text}${votes(option.voter_count)}`).join('; ');
  const traits = [poll.type === 'quiz' ? 'a quiz' : undefined, poll.allows_multiple_answers ? 'several answers allowed' : undefined, poll.is_closed ? 'closed' : undefined].filter(Boolean);
  const description = poll.description ? ` Description: ${poll.description}` : '';
  return `[The user shared a poll: "${poll.question}"${description} Options: ${options}.${traits.length > 0 ? ` (${traits.join('; ')})` : ''}]`;
}
