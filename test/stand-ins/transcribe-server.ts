import { LanguageCode } from '@aws-sdk/client-transcribe';
import { jsonReply, startLocalHttpServer, type LocalHttpServer, type LocalReply } from './local-http-server.ts';

/** A StartTranscriptionJob or GetTranscriptionJob call as the SDK serialized it (awsJson1_1). */
export interface TranscribeCall {
  target: string;
  body: Record<string, unknown>;
}

interface Job {
  name: string;
  request: Record<string, unknown>;
  polls: number;
  pollsUntilDone: number;
  transcript: string;
  /** Set for a job that ends FAILED, with the service's FailureReason. */
  failure?: string;
}

/** StartTranscriptionJob's MediaFormat values (API reference, read 2026-12-01). */
const MEDIA_FORMATS = ['mp3', 'mp4', 'wav', 'flac', 'ogg', 'amr', 'webm', 'm4a'];
/** What each format's file starts with, so a job given the wrong format fails as the service's would. */
const SIGNATURES: Record<string, (media: Buffer) => boolean> = {
  ogg: (media) => media.subarray(0, 4).toString('latin1') === 'OggS',
  flac: (media) => media.subarray(0, 4).toString('latin1') === 'fLaC',
  wav: (media) => media.subarray(0, 4).toString('latin1') === 'RIFF',
  // An ID3 tag, or an MPEG audio frame of Layer III (raw AAC has the same sync bits and layer 00).
  mp3: (media) => media.subarray(0, 3).toString('latin1') === 'ID3' || (media[0] === 0xff && ((media[1] ?? 0) & 0xe6) === 0xe2),
  m4a: (media) => media.subarray(4, 8).toString('latin1') === 'ftyp',
  mp4: (media) => media.subarray(4, 8).toString('latin1') === 'ftyp',
  webm: (media) => media.subarray(0, 4).equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])),
};

/**
 * A local Amazon Transcribe for batch jobs, reached by the real @aws-sdk/client-transcribe through
 * AWS_ENDPOINT_URL_TRANSCRIBE. It checks what the service checks (signed JSON 1.1 calls, job name pattern, an S3
 * media URI that points at an existing object of the stated format, exactly one language option, unique names),
 * completes a job on its second poll, and serves the transcript JSON at a presigned-looking TranscriptFileUri.
 * It cannot hear: a test says what the next job will "hear" with `hears`.
 */
export class FakeTranscribe {
  readonly calls: TranscribeCall[] = [];
  private readonly jobs = new Map<string, Job>();
  private readonly heard: string[] = [];
  private readonly failures: string[] = [];
  private server: LocalHttpServer | undefined;

  /** `readObject` reads the media from the S3 emulator, as Transcribe reads it from S3. */
  constructor(private readonly readObject: (bucket: string, key: string) => Promise<Buffer | undefined>) {}

  get endpoint(): string {
    return this.server!.url;
  }

  hears(transcript: string): void {
    this.heard.push(transcript);
  }

  /** The next job started ends FAILED with this reason, as a job on audio too short to identify a language can. */
  failsNext(reason: string): void {
    this.failures.push(reason);
  }

  /** Jobs started from now on report COMPLETED only at this poll (a long recording, a busy service). */
  pollsUntilDone = 2;

  async start(): Promise<this> {
    this.server = await startLocalHttpServer(async (req) => {
      const transcript = /^\/transcripts\/([^/?]+)\.json\?X-Amz-Signature=/.exec(req.url);
      if (req.method === 'GET' && transcript) return this.serveTranscript(decodeURIComponent(transcript[1]!));
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) return fault(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      if (req.method !== 'POST' || req.url !== '/' || req.headers['content-type'] !== 'application/x-amz-json-1.1') {
        return fault(400, 'SerializationException', 'Expected a JSON 1.1 POST to /');
      }
      const body = JSON.parse(req.body) as Record<string, unknown>;
      this.calls.push({ target, body });
      if (target === 'Transcribe.StartTranscriptionJob') return this.startJob(body);
      if (target === 'Transcribe.GetTranscriptionJob') return this.getJob(body);
      return fault(400, 'UnknownOperationException', `Unknown operation ${target}`);
    });
    return this;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private async startJob(body: Record<string, unknown>): Promise<LocalReply> {
    const name = body.TranscriptionJobName;
    if (typeof name !== 'string' || !/^[0-9a-zA-Z._-]{1,200}$/.test(name)) return fault(400, 'BadRequestException', '1 validation error detected: Value at \'transcriptionJobName\' failed to satisfy constraint');
    const languageOptions = ['LanguageCode', 'IdentifyLanguage', 'IdentifyMultipleLanguages'].filter((option) => body[option] !== undefined && body[option] !== false);
    if (languageOptions.length !== 1) return fault(400, 'BadRequestException', 'Specify exactly one of LanguageCode, IdentifyLanguage or IdentifyMultipleLanguages.');
    // The service takes only the codes of its LanguageCode enum (en-US, de-DE, ast-ES), as the SDK lists them.
    if (body.LanguageCode !== undefined && !(Object.values(LanguageCode) as string[]).includes(String(body.LanguageCode))) {
      return fault(400, 'BadRequestException', `1 validation error detected: Value '${String(body.LanguageCode)}' at 'languageCode' failed to satisfy constraint: Member must satisfy enum value set`);
    }
    const format = body.MediaFormat;
    if (format !== undefined && !MEDIA_FORMATS.includes(String(format))) return fault(400, 'BadRequestException', `Value '${String(format)}' at 'mediaFormat' failed to satisfy constraint`);
    const uri = (body.Media as { MediaFileUri?: unknown } | undefined)?.MediaFileUri;
    const location = typeof uri === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) : null;
    const media = location ? await this.readObject(location[1]!, location[2]!) : undefined;
    if (!media) return fault(400, 'BadRequestException', "The URI that you provided doesn't point to an S3 object. Make sure that the object exists and try your request again.");
    const matches = SIGNATURES[String(format)];
    if (matches && !matches(media)) return fault(400, 'BadRequestException', 'The media format that you specified doesn\'t match the detected media format.');
    if (this.jobs.has(name)) return fault(400, 'ConflictException', 'The requested job name already exists. Use a different job name.');
    const failure = this.failures.shift();
    const job: Job = { name, request: body, polls: 0, pollsUntilDone: this.pollsUntilDone, transcript: failure === undefined ? (this.heard.shift() ?? '') : '', ...(failure !== undefined ? { failure } : {}) };
    this.jobs.set(name, job);
    return jsonReply(200, { TranscriptionJob: this.describe(job) }, JSON_11);
  }

  private getJob(body: Record<string, unknown>): LocalReply {
    const job = this.jobs.get(String(body.TranscriptionJobName));
    if (!job) return fault(400, 'NotFoundException', "The requested job couldn't be found. Check the job name and try your request again.");
    job.polls += 1;
    return jsonReply(200, { TranscriptionJob: this.describe(job) }, JSON_11);
  }

  private describe(job: Job): Record<string, unknown> {
    const done = job.polls >= job.pollsUntilDone;
    return {
      TranscriptionJobName: job.name,
      TranscriptionJobStatus: done ? (job.failure !== undefined ? 'FAILED' : 'COMPLETED') : 'IN_PROGRESS',
      MediaFormat: job.request.MediaFormat,
      Media: job.request.Media,
      CreationTime: 1764620000,
      StartTime: 1764620001,
      ...(job.request.IdentifyLanguage ? { IdentifyLanguage: true } : { LanguageCode: job.request.LanguageCode }),
      ...(done && job.failure !== undefined ? { CompletionTime: 1764620009, FailureReason: job.failure } : {}),
      ...(done && job.failure === undefined ? { CompletionTime: 1764620009, LanguageCode: job.request.LanguageCode ?? 'en-US', Transcript: { TranscriptFileUri: `${this.endpoint}/transcripts/${job.name}.json?X-Amz-Signature=fake` } } : {}),
    };
  }

  private serveTranscript(name: string): LocalReply {
    const job = this.jobs.get(name);
    if (!job || job.polls < job.pollsUntilDone || job.failure !== undefined) return { status: 403, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>AccessDenied</Code></Error>' };
    return jsonReply(200, { jobName: name, accountId: '123456789012', status: 'COMPLETED', results: { language_code: 'en-US', transcripts: [{ transcript: job.transcript }], items: [] } });
  }
}

const JSON_11 = { 'content-type': 'application/x-amz-json-1.1' };

function fault(status: number, type: string, message: string): LocalReply {
  return jsonReply(status, { __type: type, Message: message }, { ...JSON_11, 'x-amzn-errortype': type });
}
