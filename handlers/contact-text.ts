import type { Contact } from 'grammy/types';
import { sliceWhole } from '../tools/char-count.ts';

/** The card's name and number, and what its vCard adds that a user would ask about (Bot API, Contact). */
export function contactText(contact: Contact): string {
  const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ');
  const details = [`phone ${contact.phone_number}`, ...(contact.user_id ? [`Telegram user id ${contact.user_id}`] : []), ...vcardDetails(contact.vcard, contact.phone_number)];
  return `[The user shared a contact card: ${name}, ${details.join(', ')}.]`;
}

const VCARD_FIELDS: Record<string, string> = { TEL: 'phone', EMAIL: 'email', ORG: 'organization', TITLE: 'title', ADR: 'address', URL: 'website', BDAY: 'birthday', NOTE: 'note' };
const VCARD_DETAIL_CHARS = 600;

/**
 * The fields of VCARD_FIELDS, read as vCard 4.0 (RFC 6350) and 3.0 write them, and as phones' address books still
 * export 2.1: folded lines, `NAME;PARAM="a:b":VALUE`, components split by `;`, backslash escapes, and 2.1's
 * quoted-printable values in their CHARSET. A number the card repeats from `phone_number` is left out.
 */
function vcardDetails(vcard: string | undefined, phoneNumber: string): string[] {
  if (!vcard) return [];
  const details: string[] = [];
  for (const line of unfold(vcard)) {
    const property = parseLine(line);
    const label = property && VCARD_FIELDS[property.name];
    if (!label || !property) continue;
    const value = property.components.join(', ');
    if (value === '' || (label === 'phone' && digits(value) === digits(phoneNumber))) continue;
    details.push(`${label} ${value}`);
  }
  const text = details.join(', ');
  return text.length > VCARD_DETAIL_CHARS ? [`${sliceWhole(text, VCARD_DETAIL_CHARS)}…`] : details;
}

/** RFC 6350 section 3.2: a line starting with a space or tab continues the one before; a 2.1 quoted-printable value continues after a closing `=`. */
function unfold(vcard: string): string[] {
  const lines: string[] = [];
  for (const line of vcard.split(/\r\n|\r|\n/)) {
    const previous = lines.at(-1);
    // A soft break keeps the next line whole: a space there is part of the value.
    if (previous !== undefined && previous.endsWith('=') && isQuotedPrintable(previous)) lines[lines.length - 1] = previous.slice(0, -1) + line;
    else if (previous !== undefined && /^[ \t]/.test(line)) lines[lines.length - 1] = previous + line.slice(1);
    else lines.push(line);
  }
  return lines;
}

interface Property {
  name: string;
  components: string[];
}

function parseLine(line: string): Property | undefined {
  const colon = indexOutsideQuotes(line, ':');
  if (colon < 0) return undefined;
  const [nameWithGroup = '', ...params] = splitOutsideQuotes(line.slice(0, colon), ';');
  const name = nameWithGroup.split('.').at(-1)!.toUpperCase();
  const raw = line.slice(colon + 1);
  if (isQuotedPrintable(line)) {
    const charset = params.map((param) => /^CHARSET=(.+)$/i.exec(param)?.[1]).find(Boolean) ?? 'utf-8';
    return { name, components: raw.split(';').map((part) => decodeQuotedPrintable(part, charset).trim()).filter(Boolean) };
  }
  return { name, components: splitUnescaped(raw).map((part) => unescape(part).trim()).filter(Boolean) };
}

function isQuotedPrintable(line: string): boolean {
  const colon = indexOutsideQuotes(line, ':');
  return splitOutsideQuotes(line.slice(0, colon < 0 ? line.length : colon), ';')
    .slice(1)
    .some((param) => /^(ENCODING=)?QUOTED-PRINTABLE$/i.test(param));
}

function indexOutsideQuotes(text: string, char: string): number {
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '"') quoted = !quoted;
    else if (text[index] === char && !quoted) return index;
  }
  return -1;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let rest = text;
  for (let at = indexOutsideQuotes(rest, separator); at >= 0; at = indexOutsideQuotes(rest, separator)) {
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

/** Components are separated by `;`, but `\;` is a semicolon inside one. */
function splitUnescaped(value: string): string[] {
  const parts = [''];
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    if (char === '\\' && index + 1 < value.length) {
      parts[parts.length - 1] += value.slice(index, index + 2);
      index++;
    } else if (char === ';') parts.push('');
    else parts[parts.length - 1] += char;
  }
  return parts;
}

/** In one pass, so `\\n` stays a backslash and an n: `\n` is a line break, read here as a space. */
function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_escape, char: string) => (char === 'n' || char === 'N' ? ' ' : char));
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < value.length; index++) {
    const hex = value[index] === '=' ? value.slice(index + 1, index + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(value[index]!, 'utf8'));
    }
  }
  try {
    return new TextDecoder(charset).decode(Uint8Array.from(bytes));
  } catch {
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }
}

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}
