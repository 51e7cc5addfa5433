import { describe, expect, it } from 'vitest';
import { actorIdFor, sessionIdFor } from '../../../agent/aws/agentcore-ids.ts';

/** AgentCore's own patterns and limits (API reference, ActorId and SessionId). */
const ACTOR_ID = /^[a-zA-Z0-9][a-zA-Z0-9-_/]*(?::[a-zA-Z0-9-_/]+)*[a-zA-Z0-9-_/]*$/;
const SESSION_ID = /^[a-zA-Z0-9][a-zA-Z0-9-_]*$/;

const awkward = [
  'tg:42',
  'tg:-100123',
  'ünï',
  '',
  '-5',
  '_x',
  'a/b',
  'a:b',
  'emoji 🎉 here',
  'x'.repeat(300),
  `tg:${'9'.repeat(290)}`,
  'cron:hermes-p42-abc:2026-01-05T09:00:00Z',
];

describe('AgentCore ids', () => {
  it.each(awkward)('turns %j into ids AgentCore accepts', (raw) => {
    const actor = actorIdFor(raw);
    expect(actor).toMatch(ACTOR_ID);
    expect(actor.length).toBeLessThanOrEqual(255);
    const session = sessionIdFor(raw);
    expect(session).toMatch(SESSION_ID);
    expect(session.length).toBeLessThanOrEqual(100);
  });

  it('keeps ids that already fit', () => {
    expect(actorIdFor('u1')).toBe('u1');
    expect(actorIdFor('user_42-a')).toBe('user_42-a');
    expect(sessionIdFor('s-1')).toBe('s-1');
  });

  it('stays readable and deterministic', () => {
    expect(actorIdFor('tg:42')).toMatch(/^tg_42-[0-9a-f]{12}$/);
    expect(actorIdFor('tg:42')).toBe(actorIdFor('tg:42'));
  });

  it('keeps distinct ids distinct, even when only replaced or cut characters differ', () => {
    const inputs = ['tg:42', 'tg_42', 'tg/42', 'tg.42', 'ünï', 'ùnì', `${'x'.repeat(300)}a`, `${'x'.repeat(300)}b`];
    expect(new Set(inputs.map(actorIdFor)).size).toBe(inputs.length);
    expect(new Set(inputs.map(sessionIdFor)).size).toBe(inputs.length);
  });

  it('never puts a slash in an actor id, so one user cannot name a subtree of another', () => {
    expect(actorIdFor('alice/memory')).not.toContain('/');
  });
});
