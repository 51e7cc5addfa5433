import { ValidationError } from './errors.ts';
import { sliceWhole } from './char-count.ts';

/**
 * How hard text is screened. `directives` is for what a person asks to run or follow later (job prompts, skills, which
 * may describe commands and formats in prose), and for the notebook as each prompt shows it: it refuses instructions
 * aimed at the model, commands that leak secrets, and hidden characters, with the patterns of Hermes' cron scan
 * (tools/cronjob_prompt_scan.py; its skill-content scan keeps only such directives, as commands in a skill's prose
 * "false-positive every time a skill describes a command"). `memory` is for a new memory entry, which enters every
 * later system prompt: it adds what Hermes' memory tool refuses beyond that (tools/threat_patterns.py, "strict" scope,
 * read 2026-12-03) wherever it also fits a personal assistant's notebook. Both read full-width letters as plain ones
 * (NFKC), as Hermes does.
 */
export type ScreenStrength = 'directives' | 'memory';

/** Up to eight words between key words, as Hermes allows: bounded, so a long line cannot make a match backtrack for long. */
const GAP = String.raw`(?:\w+\s+){0,8}`;
/** "the user", not "the user's sister". */
const THE_USER = String.raw`the\s+user(?![\w'’])`;
const rule = (source: string, kind: string): [RegExp, string] => [new RegExp(source, 'i'), kind];

const DIRECTIVES: Array<[RegExp, string]> = [
  rule(String.raw`ignore\s+${GAP}(?:previous|all|above|prior)\s+${GAP}instructions`, 'prompt injection'),
  rule(String.raw`disregard\s+(?:your|all|any)\s+(?:instructions|rules|guidelines)`, 'disregarding the rules'),
  rule(String.raw`system\s+prompt\s+override`, 'system prompt override'),
  rule(String.raw`act\s+as\s+(?:if|though)\s+you\s+(?:have\s+no|don't\s+have)\s+(?:restrictions|limits|rules)`, 'bypassing restrictions'),
  rule(String.raw`do\s+not\s+tell\s+${THE_USER}`, 'hiding things from the user'),
  // Hermes' role_hijack: "now" followed by a new identity, so "you are now 2 weeks from the deadline" is plain information.
  rule(String.raw`you\s+are\s+${GAP}now\s+(?:a|an|the)\s+`, 'role hijack'),
  // Beyond Hermes: the best-known personas and modes of jailbreak prompts, which name no "a" or "the".
  rule(String.raw`you\s+are\s+now\s+(?:DAN\b|in\s+\w+\s+mode\b|jailbroken\b|unrestricted\b|unfiltered\b)`, 'role hijack'),
  rule(String.raw`authorized_keys`, 'an SSH backdoor'),
  rule(String.raw`\$HOME\/\.ssh|~\/\.ssh`, 'SSH key access'),
  // The cron hint and skills arrive as `[SYSTEM: ...]` notes; text written by a user must not pass for one.
  rule(String.raw`\[\s*SYSTEM\s*:`, 'an imitation of a system note'),
];

/**
 * Only for a new memory entry. Narrower than Hermes' where its pattern refuses plain facts about a person's life:
 * "pretend you are", not "pretend to be" (children pretend to be pirates); the conversation as a whole, not "the
 * conversation ID"; "your system prompt", not a product's; "without filters", not "without emoji and without filters
 * on swearing". Hermes' rule against posting to a web address is left out: this agent has no tool that sends
 * anything to an address, and "the sales report goes to https://…" is a fact worth keeping.
 */
const MEMORY_ONLY: Array<[RegExp, string]> = [
  rule(String.raw`disregard\s+${GAP}(?:your|all|any)\s+${GAP}(?:instructions|rules|guidelines)`, 'disregarding the rules'),
  rule(String.raw`(?:do\s+not|don't|never)\s+${GAP}tell\s+${GAP}${THE_USER}`, 'hiding things from the user'),
  rule(String.raw`<!--[^>]{0,512}\b(?:ignore|override|system|secret|hidden)\b[^>]{0,512}-->`, 'instructions hidden in an HTML comment'),
  rule(String.raw`<\s*div\s+style\s*=\s*["'][^>]{0,2048}display\s*:\s*none`, 'text hidden from the reader'),
  rule(String.raw`translate\s+[^\n]{0,512}?\s+into\s+\w+(?:[\s-]+\w+){0,2}\s+and\s+(?:execute|run|eval)\b`, 'translate-and-run'),
  rule(String.raw`pretend\s+(?:that\s+)?you\s+are\b`, 'role hijack'),
  rule(String.raw`output\s+${GAP}(?:system|initial)\s+prompt|(?:reveal|print|repeat|show)\s+(?:me\s+)?your\s+(?:system|initial)\s+prompt`, 'revealing the system prompt'),
  rule(String.raw`(?:respond|answer|reply)\s+without\s+(?:any\s+|your\s+)?(?:restrictions|limitations|filters|safety)`, 'removing the safety rules'),
  rule(String.raw`you\s+have\s+been\s+${GAP}(?:updated|upgraded|patched)\s+to`, 'a fake update'),
  rule(String.raw`(?:include|output|print|share|send)\s+${GAP}(?:chat\s+history|previous\s+messages|(?:full|entire|whole)\s+(?:conversation|context|chat))`, 'sending the conversation out'),
  rule(String.raw`(?:api[_-]?key|token|secret|password)\s*[=:]\s*["'][A-Za-z0-9+/=_-]{20,}`, 'a secret written into the text'),
  rule(String.raw`\$HOME\/\.hermes\/\.env|~\/\.hermes\/\.env`, "reading the agent's secrets"),
  rule(String.raw`\b(?:update|modify|edit|write|change|append|add\s+to)\s+[^\n]{0,512}?(?:AGENTS\.md|CLAUDE\.md|\.cursorrules|\.clinerules|\.hermes\/(?:config\.yaml|SOUL\.md))`, "rewriting an agent's instructions"),
];

const PATTERNS: Record<ScreenStrength, Array<[RegExp, string]>> = { directives: DIRECTIVES, memory: [...DIRECTIVES, ...MEMORY_ONLY] };

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
export function screenText(text: string, strength: ScreenStrength = 'directives'): string | undefined {
  // Hidden characters are looked for in the text as written: NFKC would drop some of them.
  const hidden = hiddenCharacter(text);
  if (hidden !== undefined) {
    const code = hidden.toString(16).toUpperCase().padStart(4, '0');
    return `it contains the invisible or text-reordering character U+${code}, a common way to hide instructions`;
  }
  // Full-width and other compatibility letters read as plain ones ("ｉｇｎｏｒｅ" is "ignore" to a model).
  const plain = text.normalize('NFKC');
  for (const [pattern, kind] of PATTERNS[strength]) {
    const found = pattern.exec(plain);
    if (found) return `it looks like ${kind} ("${sliceWhole(found[0].trim(), 60)}")`;
  }
  const leak = leakingCommand(plain);
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
export function assertSafeText(text: string, what: string, strength: ScreenStrength = 'directives'): void {
  const reason = screenText(text, strength);
  if (reason) {
    throw new ValidationError(`${what} was not saved: ${reason}. Content that steers the assistant or hides text is refused; rephrase it as plain information.`);
  }
}
