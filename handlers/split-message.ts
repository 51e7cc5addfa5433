/** Telegram's limit for one message, counted after entity parsing. */
export const TELEGRAM_MAX_CHARS = 4096;

/**
 * Splits Markdown into chunks of at most `limit` characters, preferring paragraph, then line, then word
 * boundaries. A chunk that ends inside a ``` fence gets the fence closed and the next chunk reopens it with
 * the same language, so every chunk renders on its own.
 */
export function splitMarkdown(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  let reopen = '';
  while (rest.length > 0) {
    const budget = limit - reopen.length - 4;
    if (reopen.length + rest.length <= limit) {
      chunks.push(reopen + rest);
      break;
    }
    const cut = findCut(rest, budget);
    let chunk = reopen + rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^\n+/, '');
    const openFence = unclosedFence(chunk);
    if (openFence !== undefined) {
      chunk += '\n```';
      reopen = `\`\`\`${openFence}\n`;
    } else {
      reopen = '';
    }
    chunks.push(chunk);
  }
  return chunks.filter((chunk) => chunk.trim().length > 0);
}

function findCut(text: string, budget: number): number {
  const window = text.slice(0, budget);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at > budget / 3) return at + separator.length;
  }
  return budget;
}

/** The language of the fence left open at the end of `chunk`, or undefined when all fences are closed. */
function unclosedFence(chunk: string): string | undefined {
  let open: string | undefined;
  for (const line of chunk.split('\n')) {
    const fence = /^```([\w+#.-]*)/.exec(line);
    if (!fence) continue;
    open = open === undefined ? fence[1]! : undefined;
  }
  return open;
}
