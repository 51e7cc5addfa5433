/** Audio to transcribe: its bytes, and where the media store keeps it (a service may read it from there). */
export interface AudioInput {
  content: Uint8Array;
  mediaType: string;
  /** Container format as the services name it: ogg, mp3, m4a, wav, flac, webm, amr. */
  format: string;
  /** The media store's key for the file. */
  key: string;
  /** A URI a cloud service can read the file from (s3://bucket/key), when the store has one. */
  uri?: string;
}

/** Speech to text. */
export interface Transcriber {
  /** The words heard, or '' when none were. */
  transcribe(audio: AudioInput, options: { abortSignal?: AbortSignal }): Promise<string>;
}
