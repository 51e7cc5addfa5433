/** One bot command: its name as typed, other names for it, and the line the menu and /help show. */
export interface CommandSpec {
  command: string;
  aliases?: string[];
  description: string;
}

/**
 * Every command the bot answers, in menu order. The handlers, /help and the menu registered with setMyCommands all
 * read this list, so they cannot disagree. Names follow BotCommand's rule: 1-32 lowercase letters, digits or `_`.
 */
export const COMMANDS: CommandSpec[] = [
  { command: 'new', aliases: ['reset'], description: 'Start a fresh conversation' },
  { command: 'retry', description: 'Answer my last message again' },
  { command: 'undo', description: 'Remove the last exchange from the conversation' },
  { command: 'compress', description: 'Fold earlier messages into a summary, so each message costs less' },
  { command: 'model', description: 'Show or switch the model for this chat' },
  { command: 'status', description: 'Model, history, jobs and memory use' },
  { command: 'usage', description: 'Tokens and estimated cost, today and this month' },
  { command: 'stop', description: 'Stop the answer in progress' },
  { command: 'help', aliases: ['commands'], description: 'What I can do, and these commands' },
];

export function commandSpec(command: string): CommandSpec {
  const spec = COMMANDS.find((entry) => entry.command === command);
  if (!spec) throw new Error(`No command /${command} in COMMANDS.`);
  return spec;
}

/** The names a handler answers to: the command and its aliases. */
export function commandNames(command: string): string[] {
  const spec = commandSpec(command);
  return [spec.command, ...(spec.aliases ?? [])];
}

/** The list setMyCommands takes. */
export function menuCommands(): Array<{ command: string; description: string }> {
  return COMMANDS.map(({ command, description }) => ({ command, description }));
}

export function helpText(): string {
  const lines = COMMANDS.map(({ command, aliases, description }) => {
    const names = [command, ...(aliases ?? [])].map((name) => `/${name}`).join(' or ');
    return `${names}: ${description.charAt(0).toLowerCase()}${description.slice(1)}.`;
  });
  return [
    'I am Hermes, your assistant. Just write to me.',
    '',
    'I can set reminders and recurring tasks, remember things about you, and learn skills.',
    'In a group, mention me or reply to one of my messages.',
    '',
    ...lines,
  ].join('\n');
}
