/**
 * A received file brought back for the model: its bytes in a form the model takes, or its text. `pdfPages`: the
 * pages of a PDF given as a file to a model that reads only so many PDF pages in one request.
 */
export type ReopenedMedia = { kind: 'file'; data: Uint8Array; mediaType: string; pdfPages?: number } | { kind: 'text'; text: string };

/**
 * Files users sent, reopened by the key their turn's note names (`media:<key>`). What a file becomes depends on the
 * model: an image for a model that sees, a PDF for one that reads documents, text otherwise. Failures are
 * HermesErrors whose messages the model may read.
 */
export interface MediaLibrary {
  /**
   * `textOnly`: a document comes back as its text (or is refused when it has none that can be read here).
   * `pdfPagesShown`: the PDF pages the turn's requests carry already; a PDF past the model's limit comes back as text.
   */
  reopen(key: string, options?: { textOnly?: boolean; pdfPagesShown?: number }): Promise<ReopenedMedia>;
}
