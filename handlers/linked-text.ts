import type { MessageEntity } from 'grammy/types';

/**
 * A message's text with the address of each hidden link written after its words, `read this (https://…)`: a
 * `text_link` entity carries its URL apart from the text ("MessageEntity", Bot API docs, read 2026-12-02), and text
 * pasted from a web page or forwarded from a channel links this way. Offsets count UTF-16 code units, as JavaScript
 * strings do.
 */
export function withLinks(text: string, entities: readonly MessageEntity[] | undefined): string {
  const links = (entities ?? []).filter((entity): entity is MessageEntity.TextLinkMessageEntity => entity.type === 'text_link');
  let linked = text;
  for (const link of [...links].sort((a, b) => b.offset - a.offset)) {
    const end = link.offset + link.length;
    const words = text.slice(link.offset, end);
    if (words.trim() === link.url || end > text.length) continue;
    linked = `${linked.slice(0, end)} (${link.url})${linked.slice(end)}`;
  }
  return linked;
}
