import { GetTranscriptionJobCommand, StartTranscriptionJobCommand, type MediaFormat, type TranscribeClient, type TranscriptionJob } from '@aws-sdk/client-transcribe';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../tools/errors.ts';
import type { AudioInput, Transcriber } from '../ports/transcriber.ts';
import { hasErrorName, toStoreError } from './aws-failure.ts';

export interface AmazonTranscriberOptions {
  client: TranscribeClient;
  /** BCP-47 code such as en-US; without it Transcribe identifies the language itself. */
  languageCode?: string;
  pollMs?: number;
  /** Gives up after this long; a job usually finishes a short voice note in 5 to 30 seconds. */
  timeoutMs?: number;
}

/**
 * Amazon Transcribe batch jobs (StartTranscriptionJob, then GetTranscriptionJob until COMPLETED), reading the
 * file straight from S3. OGG/Opus, Telegram's voice format, is a supported MediaFormat; without an output bucket
 * the transcript is served at a presigned TranscriptFileUri (docs.aws.amazon.com/transcribe/latest/APIReference/
 * API_StartTranscriptionJob.html, read 2026-12-01). The job is named after the file, so a redelivered voice
 * note reuses the job already started for it instead of paying twice.
 */
export class AmazonTranscriber implements Transcriber {
  constructor(private readonly options: AmazonTranscriberOptions) {}

  async transcribe(audio: AudioInput, { abortSignal }: { abortSignal?: AbortSignal }): Promise<string> {
    if (!audio.uri) throw new StoreError('Amazon Transcribe needs the file in S3 (set HERMES_MEDIA_S3_BUCKET).');
    const { client, languageCode, pollMs = 1_000, timeoutMs = 60_000 } = this.options;
    const name = jobNameFor(audio.key);
    let job: TranscriptionJob | undefined;
    try {
      const started = await client.send(
        new StartTranscriptionJobCommand({
          TranscriptionJobName: name,
          Media: { MediaFileUri: audio.uri },
          MediaFormat: audio.format as MediaFormat,
          ...(languageCode ? { LanguageCode: languageCode as never } : { IdentifyLanguage: true }),
        }),
        { abortSignal },
      );
      job = started.TranscriptionJob;
    } catch (error) {
      if (!hasErrorName(error, 'ConflictException')) throw toStoreError(`Transcribe StartTranscriptionJob (${name})`, error);
    }
    const deadline = Date.now() + timeoutMs;
    while (job?.TranscriptionJobStatus !== 'COMPLETED') {
      if (job?.TranscriptionJobStatus === 'FAILED') throw new StoreError(`Transcription job ${name} failed: ${job.FailureReason ?? 'no reason given'}`);
      if (Date.now() > deadline) throw new StoreError(`Transcription job ${name} did not finish within ${timeoutMs / 1000} s.`);
      if (job) await sleep(pollMs, undefined, abortSignal ? { signal: abortSignal } : {}).catch(() => undefined);
      if (abortSignal?.aborted) throw new StoreError(`Transcription job ${name} was still running when the turn had to answer.`, { cause: abortSignal.reason });
      const polled = await client.send(new GetTranscriptionJobCommand({ TranscriptionJobName: name }), { abortSignal }).catch((error: unknown) => {
        throw toStoreError(`Transcribe GetTranscriptionJob (${name})`, error);
      });
      job = polled.TranscriptionJob;
    }
    const uri = job.Transcript?.TranscriptFileUri;
    if (!uri) throw new StoreError(`Transcription job ${name} finished without a transcript.`);
    const response = await fetch(uri, { ...(abortSignal ? { signal: abortSignal } : {}) });
    if (!response.ok) throw new StoreError(`The transcript of job ${name} could not be read (HTTP ${response.status}).`);
    const body = (await response.json()) as { results?: { transcripts?: Array<{ transcript?: string }> } };
    return (body.results?.transcripts ?? []).map((part) => part.transcript ?? '').join(' ').trim();
  }
}

/** Job names allow `[0-9a-zA-Z._-]`, up to 200 characters, unique in the account and region. */
export function jobNameFor(key: string): string {
  return `hermes-${key.replace(/[^0-9a-zA-Z._-]/g, '-')}`.slice(0, 200);
}
