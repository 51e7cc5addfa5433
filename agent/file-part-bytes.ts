import type { FilePart, ImagePart, TextPart } from 'ai';

/** The bytes the file parts of a message carry, before the base64 encoding that sends them; a URL carries none. */
export function filePartBytes(parts: ReadonlyArray<TextPart | ImagePart | FilePart>): number {
  return parts.reduce((sum, part) => (part.type === 'text' ? sum : sum + bytesOf(part.type === 'file' ? part.data : part.image)), 0);
}

function bytesOf(data: unknown): number {
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) return data.byteLength;
  // Base64 text; a URL (`https://…`, `data:` aside) is fetched by the provider, not sent.
  if (typeof data === 'string') return /^[a-z][a-z0-9+.-]*:\/\//i.test(data) ? 0 : Math.floor((data.length * 3) / 4);
  // AI SDK 7's tagged form: `{ type: 'data', data }`.
  if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'data') return bytesOf((data as { data: unknown }).data);
  return 0;
}
