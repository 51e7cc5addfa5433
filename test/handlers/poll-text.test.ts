import type { Poll } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { pollText } from '../../handlers/poll-text.ts';

const poll = (changes: Partial<Poll>): Poll => ({
  id: '5834016731',
  question: 'Lunch?',
  options: [
    { persistent_id: '0', text: 'Pizza', voter_count: 0 },
    { persistent_id: '1', text: 'Salad', voter_count: 0 },
  ],
  total_voter_count: 0,
  is_closed: false,
  is_anonymous: true,
  type: 'regular',
  allows_multiple_answers: false,
  allows_revoting: true,
  members_only: false,
  ...changes,
});

describe('a shared poll as the model reads it', () => {
  it('reads a closed quiz with its votes and its description', () => {
    const quiz = poll({
      type: 'quiz',
      is_closed: true,
      total_voter_count: 3,
      description: 'Friday team lunch',
      options: [
        { persistent_id: '0', text: 'Pizza', voter_count: 1 },
        { persistent_id: '1', text: 'Salad', voter_count: 2 },
      ],
    });
    expect(pollText(quiz)).toBe('[The user shared a poll: "Lunch?" Description: Friday team lunch Options: 1. Pizza (1 vote); 2. Salad (2 votes). (a quiz; closed)]');
  });

  it('shows no counts while the results are hidden, though people voted', () => {
    expect(pollText(poll({ total_voter_count: 4, allows_multiple_answers: true }))).toBe('[The user shared a poll: "Lunch?" Options: 1. Pizza; 2. Salad. (several answers allowed)]');
  });
});
