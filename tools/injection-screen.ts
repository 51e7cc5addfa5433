import { ValidationError } from './errors.ts';

/**
 * What Hermes' memory tool refuses (tools/memory_tool.py, `_MEMORY_THREAT_PATTERNS` and `_INVISIBLE_CHARS`, read
 * 2026-12-01): text that enters every later prompt (memory, skills) or runs unattended (cron prompts) must not carry
 * instructions aimed at the model, commands that leak secrets, or characters a person reading it cannot see.
 */
const THREAT_PATTERNS: Array<[RegExp, string]> = [
  [/ignore\s+(previous|all|above|prior)\s+instructions/i, 'prompt injection'],
  [/you\s+are\s+now\s+/i, 'role hijack'],
  [/do\s+not\s+tell\s+the\s+user/i, 'hiding things from the user'],
  [/system\s+prompt\s+override/i, 'system prompt override'],
  [/disregard\s+(your|all|any)\s+(instructions|rules|guidelines)/i, 'disregarding the rules'],
  [/act\s+as\s+(if|though)\s+you\s+(have\s+no|don't\s+have)\s+(restrictions|limits|rules)/i, 'bypassing restrictions'],
  [/authorized_keys/i, 'an SSH backdoor'],
  [/\$HOME\/\.ssh|~\/\.ssh/i, 'SSH key access'],
  // The cron hint and skills arrive as `[SYSTEM: ...]` notes; text written by a user must not pass for one.
  [/\[\s*SYSTEM\s*:/i, 'an imitation of a system note'],
];

/**
 * Hermes' patterns for a command on one line that leaks a secret (`curl ... $API_KEY`, `cat ~/.netrc`). Written as a
 * command followed, later on its line, by what it leaks, and matched in that order with two linear searches: as one
 * regular expression (`curl\s+[^\n]*\$...`) they take quadratic time on a long line of spaces.
 */
const LEAKING_COMMANDS: Array<{ command: RegExp; leak: RegExp; kind: string }> = [
  { command: /\bcurl\s/i, leak: /\$\{?\w*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|API)/i, kind: 'sending secrets out with curl' },
  { command: /\bwget\s/i, leak: /\$\{?\w*(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|API)/i, kind: 'sending secrets out with wget' },
  { command: /\bcat\s/i, leak: /\.env|credentials|\.netrc|\.pgpass|\.npmrc|\.pypirc/i, kind: 'reading secret files' },
];

function leakingCommand(text: string): { kind: string; excerpt: string } | undefined {
  for (const line of text.split('\n')) {
    for (const { command, leak, kind } of LEAKING_COMMANDS) {
      const start = command.exec(line)?.index;
      if (start === undefined) continue;
      const leaked = leak.exec(line.slice(start));
      if (leaked) return { kind, excerpt: line.slice(start, start + leaked.index + leaked[0].length) };
    }
  }
  return undefined;
}

/** Zero-width characters, bidirectional controls (which reorder what a reader sees) and Unicode tag characters. */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u{E0000}-\u{E007F}]/u;

/** Undefined when the text is clean; otherwise why it is refused, for the model to relay. */
export function screenText(text: string): string | undefined {
  const invisible = INVISIBLE.exec(text);
  if (invisible) {
    const code = invisible[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `it contains the invisible or text-reordering character U+${code}, a common way to hide instructions`;
  }
  for (const [pattern, kind] of THREAT_PATTERNS) {
    if (pattern.test(text)) return `it looks like ${kind} ("${pattern.exec(text)![0].trim().slice(0, 60)}")`;
  }
  const leak = leakingCommand(text);
  return leak && `it looks like ${leak.kind} ("${leak.excerpt.trim().slice(0, 60)}")`;
}

/** Refuses text that would carry an injection into later prompts; `what` names it in the refusal. */
export function assertSafeText(text: string, what: string): void {
  const reason = screenText(text);
  if (reason) {
    throw new ValidationError(`${what} was not saved: ${reason}. Content that steers the assistant or hides text is refused; rephrase it as plain information.`);
  }
}
