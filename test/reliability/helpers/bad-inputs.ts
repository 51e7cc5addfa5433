import { readFileSync } from 'node:fs';

/** A string in the fixture, or a recipe for one too long to write out. */
export type GeneratedString = string | { repeat: string; times: number };

export interface WebhookCase {
  name: string;
  /** null: the header is left out. Absent: the right secret. */
  secret?: GeneratedString | null;
  method?: string;
  path?: string;
  /** raw: the body is flagged base64 as it is; encode: it is base64-encoded first. */
  base64?: 'raw' | 'encode';
  body: { raw: GeneratedString } | { json: unknown };
  status: number;
}

export interface UpdateCase {
  name: string;
  update: Record<string, unknown>;
  /** Patterns the bot's replies must match, one per reply, in order. */
  replies: string[];
  modelCalls: number;
}

export interface TextCase {
  name: string;
  text: GeneratedString;
  replies: string[];
  modelCalls: number;
}

export interface SkillPathCase {
  name: string;
  tool: 'skill_view' | 'skill_manage';
  args: Record<string, unknown>;
  error: string;
}

export interface ScheduleCase {
  name: string;
  schedule: string;
  error: string;
}

export interface BadInputs {
  webhookSecret: string;
  webhook: WebhookCase[];
  updates: UpdateCase[];
  texts: TextCase[];
  skillPaths: SkillPathCase[];
  schedules: ScheduleCase[];
}

/** Read synchronously because the cases must exist when vitest collects the tests. */
export const badInputs = JSON.parse(readFileSync(new URL('../fixtures/bad-inputs.json', import.meta.url), 'utf8')) as BadInputs;

export function stringOf(value: GeneratedString): string {
  return typeof value === 'string' ? value : value.repeat.repeat(value.times);
}

/** Expands every generated string inside a JSON value, at any depth. */
export function expand<T>(value: T): T {
  if (isGenerated(value)) return stringOf(value) as T;
  if (Array.isArray(value)) return value.map(expand) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, expand(inner)])) as T;
  }
  return value;
}

function isGenerated(value: unknown): value is { repeat: string; times: number } {
  return typeof value === 'object' && value !== null && 'repeat' in value && 'times' in value && Object.keys(value).length === 2;
}
