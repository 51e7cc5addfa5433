import { COMMANDS } from './command-list.ts';

/**
 * A message that starts like a command none of this bot's commands took: classic Hermes' skill commands
 * (`/weekly-report draft it`) or a command only Hermes has. As in Hermes (hermes_cli/commands.py), a first word with
 * another slash in it is a pasted path, not a command, and is read as text; so is one that starts with a digit (`/2 + 2?`).
 */
export function leadingSlash(text: string): { name: string; instruction: string } | undefined {
  const match = /^\/([A-Za-z][\w-]{0,63})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text);
  return match ? { name: match[1]!, instruction: (match[2] ?? '').trim() } : undefined;
}

/**
 * Commands of Hermes' gateway this bot does without, with what to do here instead (slash-commands.md, "Messaging
 * slash commands", read 2026-12-02); Hermes answers a command it does not know the same way, without the model,
 * which would otherwise claim to have done it.
 */
const HERMES_ONLY: Record<string, string> = {
  sethome: "Here a job's answers always go to the chat it was made in, so there is no home channel to set: make the job in the chat that should get them.",
  personality: "The assistant's persona is set by its owner (HERMES_PERSONA). Ask me in words to answer differently.",
  title: 'Here each chat (and forum topic) has one conversation, so there are no titles to give; /new starts a fresh one.',
  resume: 'Here each chat (and forum topic) has one conversation, so there is none to resume; /status shows this one.',
  sessions: 'Here each chat (and forum topic) has one conversation; /status shows this one.',
};

export function unknownCommandText(name: string): string {
  // Telegram's commands are case-sensitive, so `/New` reaches no handler: point at the one meant.
  const lower = name.toLowerCase();
  if (lower !== name && COMMANDS.some(({ command, aliases }) => [command, ...(aliases ?? [])].includes(lower))) return `Commands are lowercase: try /${lower}.`;
  const instead = HERMES_ONLY[lower];
  return `${instead ? `/${name} is a command of classic Hermes that this assistant does not have. ${instead}` : `I don't know the command /${name}.`} /help lists mine; to ask me something, send it without the leading slash.`;
}
