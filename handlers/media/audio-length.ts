/**
 * How long a recording is, read from its own headers (or, for an MP3 without a length header, from its frames):
 * audio shared as a file carries no duration, unlike a voice note or an audio message. Undefined when the file does
 * not say, in which case only its size bounds it. music-metadata is loaded with the first such file.
 */
export async function audioSeconds(content: Uint8Array, mediaType: string): Promise<number | undefined> {
  const { parseBuffer } = await import('music-metadata');
  try {
    const { format } = await parseBuffer(content, { mimeType: mediaType, size: content.byteLength }, { duration: true, skipCovers: true });
    return format.duration !== undefined && Number.isFinite(format.duration) && format.duration > 0 ? Math.ceil(format.duration) : undefined;
  } catch {
    return undefined;
  }
}
