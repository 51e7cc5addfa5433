import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AmazonTranscriber } from '../../../agent/aws/amazon-transcriber.ts';
import { StoreError } from '../../../tools/errors.ts';
import { FakeTranscribe } from '../../stand-ins/transcribe-server.ts';
import { startS3rver, type S3rverHarness } from '../../stand-ins/s3rver.ts';

const voice = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'media', 'voice-reminder.ogg'));
let s3: S3rverHarness;
let fake: FakeTranscribe;
let transcriber: AmazonTranscriber;

beforeAll(async () => {
  s3 = await startS3rver();
  fake = await new FakeTranscribe(async (bucket, key) => {
    const object = await s3.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    return object?.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined;
  }).start();
  const client = new TranscribeClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
  transcriber = new AmazonTranscriber({ client, pollMs: 10 });
  await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'media/77/AgADvoice.ogg', Body: voice }));
});
afterAll(async () => {
  await Promise.all([s3.close(), fake.close()]);
});

const audio = (key: string, uri?: string) => ({ content: voice, mediaType: 'audio/ogg', format: 'ogg', key, ...(uri ? { uri } : {}) });

it('reuses the job of a file transcribed before (a redelivered voice note) instead of failing on the name', async () => {
  fake.hears('water the plants');
  const uri = `s3://${s3.bucket}/media/77/AgADvoice.ogg`;
  expect(await transcriber.transcribe(audio('77/AgADvoice.ogg', uri), {})).toBe('water the plants');
  expect(await transcriber.transcribe(audio('77/AgADvoice.ogg', uri), {})).toBe('water the plants');
  expect(fake.calls.filter((call) => call.target === 'Transcribe.StartTranscriptionJob')).toHaveLength(2);
});

it('reports a failed job, and gives the same note a new job when it comes again instead of that failure for good', async () => {
  await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'media/80/AgADshort.ogg', Body: voice }));
  const uri = `s3://${s3.bucket}/media/80/AgADshort.ogg`;
  fake.failsNext('Failed to identify the language of the audio.');
  await expect(transcriber.transcribe(audio('80/AgADshort.ogg', uri), {})).rejects.toThrow(/hermes-80-AgADshort.ogg failed: Failed to identify the language/);
  fake.hears('call mum');
  expect(await transcriber.transcribe(audio('80/AgADshort.ogg', uri), {})).toBe('call mum');
  const started = fake.calls.filter((call) => call.target === 'Transcribe.StartTranscriptionJob' && String(call.body.TranscriptionJobName).startsWith('hermes-80-'));
  expect(started.map((call) => call.body.TranscriptionJobName)).toEqual(['hermes-80-AgADshort.ogg', 'hermes-80-AgADshort.ogg', 'hermes-80-AgADshort.ogg.2']);
  expect(await transcriber.transcribe(audio('80/AgADshort.ogg', uri), {})).toBe('call mum');
});

it('fails clearly when the media is not in S3', async () => {
  await expect(transcriber.transcribe(audio('77/missing.ogg', `s3://${s3.bucket}/media/77/missing.ogg`), {})).rejects.toThrow(/doesn't point to an S3 object/);
  await expect(transcriber.transcribe(audio('77/AgADvoice.ogg'), {})).rejects.toThrow(StoreError);
});

it('passes a configured language instead of identifying it', async () => {
  const client = new TranscribeClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
  const german = new AmazonTranscriber({ client, languageCode: 'de-DE', pollMs: 10 });
  await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'media/78/AgADde.ogg', Body: voice }));
  fake.hears('Gieß die Pflanzen');
  expect(await german.transcribe(audio('78/AgADde.ogg', `s3://${s3.bucket}/media/78/AgADde.ogg`), {})).toBe('Gieß die Pflanzen');
  expect(fake.calls.at(-3)!.body).toMatchObject({ LanguageCode: 'de-DE' });
  expect(fake.calls.at(-3)!.body).not.toHaveProperty('IdentifyLanguage');
});

it('is refused by the stand-in, as by Transcribe, for a language code its enum does not list', async () => {
  const client = new TranscribeClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } });
  const madeUp = new AmazonTranscriber({ client, languageCode: 'en-DE', pollMs: 10 });
  await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'media/78/AgADen.ogg', Body: voice }));
  await expect(madeUp.transcribe(audio('78/AgADen.ogg', `s3://${s3.bucket}/media/78/AgADen.ogg`), {})).rejects.toThrow(StoreError);
});

it('stops polling a job still running when the turn has to answer, and says so', async () => {
  await s3.s3.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'media/79/AgADlong.ogg', Body: voice }));
  fake.pollsUntilDone = 1_000_000;
  try {
    const polling = new AmazonTranscriber({ client: new TranscribeClient({ endpoint: fake.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } }), pollMs: 1_000 });
    const callsBefore = fake.calls.length;
    const started = Date.now();
    await expect(polling.transcribe(audio('79/AgADlong.ogg', `s3://${s3.bucket}/media/79/AgADlong.ogg`), { abortSignal: AbortSignal.timeout(300) })).rejects.toThrow(
      /still running when the turn had to answer/,
    );
    // The abort ends the wait between polls: no second poll a second later.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(fake.calls.slice(callsBefore).map((call) => call.target)).toEqual(['Transcribe.StartTranscriptionJob']);
  } finally {
    fake.pollsUntilDone = 2;
  }
});
