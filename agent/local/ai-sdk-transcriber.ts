import { NoTranscriptGeneratedError, transcribe, type TranscriptionModel } from 'ai';
import type { AudioInput, Transcriber } from '../ports/transcriber.ts';

/** Any AI SDK transcription model (OpenAI's by default), sent the audio bytes. */
export class AiSdkTranscriber implements Transcriber {
  constructor(private readonly model: TranscriptionModel) {}

  async transcribe(audio: AudioInput, { abortSignal }: { abortSignal?: AbortSignal }): Promise<string> {
    try {
      const result = await transcribe({ model: this.model, audio: audio.content, ...(abortSignal ? { abortSignal } : {}), maxRetries: 1 });
      return result.text.trim();
    } catch (error) {
      // Silence or noise: the SDK reports an empty transcript as an error.
      if (NoTranscriptGeneratedError.isInstance(error)) return '';
      throw error;
    }
  }
}
