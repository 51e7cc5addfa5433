/** A received file brought back for the model: its bytes in a form the model takes, or its text. */
export type ReopenedMedia = { kind: 'file'; data: Uint8Array; mediaType: string } | { kind: 'text'; text: string };

/**
 * Files users sent, reopened by the key their turn's note names (`media:<key>`). What a file becomes depends on the
 * model: an image for a model that sees, a PDF for one that reads documents, text otherwise. Failures are
 * HermesErrors whose messages the model may read.
 */
export interface MediaLibrary {
  /** `textOnly`: a document comes back as its text (or is refused when it has none that can be read here). */
  reopen(key: string, options?: { textOnly?: boolean }): Promise<ReopenedMedia>;
}
