/** A file a user sent, kept where the rest of the state lives; sessions hold only its key. */
export interface StoredMedia {
  key: string;
  contentType: string;
  size: number;
}

/**
 * Bytes of files users sent (photos, documents, voice notes), by key. Keys are relative paths such as
 * `77/AQADm1.jpg`; the chat comes first so one chat's files can be listed or removed together.
 */
export interface MediaStore {
  /** Stores (or replaces) the bytes under `key`. */
  put(key: string, content: Uint8Array, contentType: string): Promise<StoredMedia>;
  /** The bytes and type stored under `key`, or undefined. */
  get(key: string): Promise<{ content: Uint8Array; contentType: string } | undefined>;
  /** Keys under `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Where a cloud service (Amazon Transcribe) can read the file itself; stores on local disk have none. */
  uri?(key: string): string;
}
