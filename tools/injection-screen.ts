import { ValidationError } from './errors.ts';
import { sliceWhole } from './char-count.ts';

/**
 * What Hermes refuses in memory (tools/threat_patterns.py at its "strict" scope, which tools/memory_tool.py applies) and
 * in cron prompts (tools/cronjob_prompt_scan.py), read 2026-12-02: text that enters every later prompt (memory, skills)
 * or runs unattended (cron prompts) must not carry instructions aimed at the model, commands that leak secrets, or
 * characters a person reading it cannot see. One screen serves all three; its patterns are no stricter than Hermes'
 * memory scan, while it also refuses the right-to-left marks and tag characters that Hermes lets through.
 */
const THREAT_PATTERNS: Array<[RegExp, string]> = [
  [/ignore\s+(previous|all|above|prior)\s+instructions/i, 'prompt injection'],
  // Hermes' role_hijack (tools/threat_patterns.py, which its memory tool applies): "now" followed by a new identity,
  // so "you are now 2 weeks from the deadline" is plain information.
  [/you\s+are\s+(?:\w+\s+){0,8}now\s+(?:a|an|the)\s+/i, 'role hijack'],
  // Beyond Hermes: the best-known personas and modes of jailbreak prompts, which name no "a" or "the".
  [/you\s+are\s+now\s+(?:DAN\b|in\s+\w+\s+mode\b|jailbroken\b|unrestricted\b|unfiltered\b)/i, 'role hijack'],
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
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/u;
const ZERO_WIDTH_JOINER = 0x200d;
const VARIATION_SELECTOR_16 = 0xfe0f;
/** Hermes' _EMOJI_NEIGHBOUR_CP_RANGES (tools/cronjob_prompt_scan.py): the code points a joiner may join in an emoji. */
const EMOJI_RANGES: Array<[number, number]> = [
  [0x1f000, 0x1ffff],
  [0x2600, 0x27bf],
  [0x2300, 0x23ff],
  [0x20e3, 0x20e3],
];
const WAVING_BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;

/** Undefined when the text is clean; otherwise why it is refused, for the model to relay. */
export function screenText(text: string): string | undefined {
  const hidden = hiddenCharacter(text);
  if (hidden !== undefined) {
    const code = hidden.toString(16).toUpperCase().padStart(4, '0');
    return `it contains the invisible or text-reordering character U+${code}, a common way to hide instructions`;
  }
  for (const [pattern, kind] of THREAT_PATTERNS) {
    if (pattern.test(text)) return `it looks like ${kind} ("${pattern.exec(text)![0].trim().slice(0, 60)}")`;
  }
  const leak = leakingCommand(text);
  return leak && `it looks like ${leak.kind} ("${sliceWhole(leak.excerpt.trim(), 60)}")`;
}

/**
 * The first invisible character that is not part of an emoji. A joiner between two emoji (skipping U+FE0F) builds one
 * picture ("🧑‍💻", "🏳️‍🌈"), which Hermes' cron prompt scan allows (_zwj_has_emoji_neighbour). Tag characters spell
 * hidden ASCII to a model, so they are refused (Hermes does not check them) except in the flag sequences emoji use
 * ("🏴" + tags + cancel tag, Unicode TS #51).
 */
function hiddenCharacter(text: string): number | undefined {
  if (!INVISIBLE.test(text)) return undefined;
  const points = Array.from(text, (char) => char.codePointAt(0)!);
  const inFlag = flagTagPositions(points);
  for (const [index, point] of points.entries()) {
    if (!INVISIBLE.test(String.fromCodePoint(point)) || inFlag.has(index)) continue;
    if (point === ZERO_WIDTH_JOINER && joinsEmoji(points, index)) continue;
    return point;
  }
  return undefined;
}

function joinsEmoji(points: number[], index: number): boolean {
  let left = index - 1;
  while (left >= 0 && points[left] === VARIATION_SELECTOR_16) left--;
  let right = index + 1;
  while (right < points.length && points[right] === VARIATION_SELECTOR_16) right++;
  return left >= 0 && right < points.length && isEmoji(points[left]!) && isEmoji(points[right]!);
}

function isEmoji(point: number): boolean {
  return EMOJI_RANGES.some(([low, high]) => point >= low && point <= high);
}

/**
 * Positions of the tag characters that spell a subdivision flag: U+1F3F4, then a subdivision code of 3 to 7 lowercase
 * letters and digits in tag characters ("gbeng", "usca"; Unicode TS #51, emoji tag sequences), then U+E007F. Only
 * such a code passes: a longer run, capitals, spaces or punctuation would let hidden sentences through as a "flag".
 */
function flagTagPositions(points: number[]): Set<number> {
  const positions = new Set<number>();
  for (const [index, point] of points.entries()) {
    if (point !== WAVING_BLACK_FLAG) continue;
    let end = index + 1;
    while (end < points.length && isSubdivisionTag(points[end]!)) end++;
    const length = end - index - 1;
    if (length >= 3 && length <= 7 && points[end] === CANCEL_TAG) for (let tag = index + 1; tag <= end; tag++) positions.add(tag);
  }
  return positions;
}

/** Tag characters for a-z and 0-9. */
function isSubdivisionTag(point: number): boolean {
  return (point >= 0xe0061 && point <= 0xe007a) || (point >= 0xe0030 && point <= 0xe0039);
}

/** Refuses text that would carry an injection into later prompts; `what` names it in the refusal. */
export function assertSafeText(text: string, what: string): void {
  const reason = screenText(text);
  if (reason) {
    throw new ValidationError(`${what} was not saved: ${reason}. Content that steers the assistant or hides text is refused; rephrase it as plain information.`);
  }
}
