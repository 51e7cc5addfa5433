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
    for (let attempt = 1; ; attempt++) {
      const name = jobNameFor(audio.key, attempt);
      const { job, reused } = await this.startOrReuse(name, { uri: audio.uri, format: audio.format, abortSignal });
      const done = await this.finished(name, { job, abortSignal });
      if (done.TranscriptionJobStatus === 'COMPLETED') return transcriptOf(name, { job: done, abortSignal });
      // A failed job keeps its name for 90 days. The note sent again (or redelivered) gets a new job under the next
      // name instead of that failure forever; the attempt that ran the failed job reports it.
      if (!reused || attempt >= JOBS_PER_FILE) throw new StoreError(`Transcription job ${name} failed: ${done.FailureReason ?? 'no reason given'}`);
    }
  }

  private async startOrReuse(name: string, { uri, format, abortSignal }: { uri: string; format: string; abortSignal: AbortSignal | undefined }) {
    const { client, languageCode } = this.options;
    try {
      const started = await client.send(
        new StartTranscriptionJobCommand({
          TranscriptionJobName: name,
          Media: { MediaFileUri: uri },
          MediaFormat: format as MediaFormat,
          ...(languageCode ? { LanguageCode: languageCode as never } : { IdentifyLanguage: true }),
        }),
        { abortSignal },
      );
      return { job: started.TranscriptionJob, reused: false };
    } catch (error) {
      if (!hasErrorName(error, 'ConflictException')) throw toStoreError(`Transcribe StartTranscriptionJob (${name})`, error);
      return { job: undefined, reused: true };
    }
  }

  /** Polls the job until it completed or failed. */
  private async finished(name: string, { job: started, abortSignal }: { job: TranscriptionJob | undefined; abortSignal: AbortSignal | undefined }): Promise<TranscriptionJob> {
    const { client, pollMs = 1_000, timeoutMs = 60_000 } = this.options;
    const deadline = Date.now() + timeoutMs;
    let job = started;
    while (job?.TranscriptionJobStatus !== 'COMPLETED' && job?.TranscriptionJobStatus !== 'FAILED') {
      if (Date.now() > deadline) throw new StoreError(`Transcription job ${name} did not finish within ${timeoutMs / 1000} s.`);
      if (job) await sleep(pollMs, undefined, abortSignal ? { signal: abortSignal } : {}).catch(() => undefined);
      if (abortSignal?.aborted) throw new StoreError(`Transcription job ${name} was still running when the turn had to answer.`, { cause: abortSignal.reason });
      const polled = await client.send(new GetTranscriptionJobCommand({ TranscriptionJobName: name }), { abortSignal }).catch((error: unknown) => {
        throw toStoreError(`Transcribe GetTranscriptionJob (${name})`, error);
      });
      job = polled.TranscriptionJob;
    }
    return job;
  }
}

/** How many jobs one file may have: each failed one is kept under its name, so every new attempt needs another. */
const JOBS_PER_FILE = 5;

async function transcriptOf(name: string, { job, abortSignal }: { job: TranscriptionJob; abortSignal: AbortSignal | undefined }): Promise<string> {
  const uri = job.Transcript?.TranscriptFileUri;
  if (!uri) throw new StoreError(`Transcription job ${name} finished without a transcript.`);
  const response = await fetch(uri, { ...(abortSignal ? { signal: abortSignal } : {}) });
  if (!response.ok) throw new StoreError(`The transcript of job ${name} could not be read (HTTP ${response.status}).`);
  const body = (await response.json()) as { results?: { transcripts?: Array<{ transcript?: string }> } };
  return (body.results?.transcripts ?? []).map((part) => part.transcript ?? '').join(' ').trim();
}

/** Job names allow `[0-9a-zA-Z._-]`, up to 200 characters, unique in the account and region. */
export function jobNameFor(key: string, attempt = 1): string {
  const suffix = attempt === 1 ? '' : `.${attempt}`;
  return `hermes-${key.replace(/[^0-9a-zA-Z._-]/g, '-')}`.slice(0, 200 - suffix.length) + suffix;
}
