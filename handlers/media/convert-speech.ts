import type { Config } from '../../agent/config.ts';
import { errorMessage } from '../../tools/errors.ts';
import type { Transcriber } from '../../agent/ports/transcriber.ts';
import { fetchFile, labelOf, storeFile, type Conversion, type FileRequest } from './media-file.ts';
import { audioSeconds } from './audio-length.ts';
import { MediaError } from './media-error.ts';
import { mediaStoreFor } from './media-store-for.ts';

/** A transcript this short is echoed back, so the user sees what was understood. */
const ECHO_MAX_CHARS = 300;

const NOT_CONFIGURED =
  'I can\'t transcribe voice notes yet: no speech-to-text service is set up. The owner can set OPENAI_API_KEY or VOICE_TOOLS_OPENAI_KEY (or, on AWS, HERMES_MEDIA_S3_BUCKET for Amazon Transcribe). Please type your message meanwhile.';

/**
 * A voice note or audio file becomes its transcript, answered as if it had been typed. So does a video message (a
 * round video): an MP4 of H.264 and AAC, whose sound is what the person said; both transcription services take MP4
 * as it is (Transcribe's MediaFormat `mp4`; OpenAI's transcriptions accept mp4), so nothing is converted here.
 */
export async function convertSpeech(request: FileRequest): Promise<Conversion> {
  const { config } = request.runtime;
  const { file } = request;
  const label = labelOf(file);
  const video = file.kind === 'video_note';
  if (config.transcription.engine === 'off') {
    throw new MediaError(video ? `I can't watch videos, and no speech-to-text service is set up to hear what is said in a video message. Please type your message.` : NOT_CONFIGURED);
  }
  if (file.durationSeconds !== undefined && file.durationSeconds > config.transcription.maxSeconds) {
    throw new MediaError(`That ${label} is ${formatDuration(file.durationSeconds)} long; I transcribe up to ${formatDuration(config.transcription.maxSeconds)}.`);
  }
  const content = await fetchFile(request, config.media.maxBytes);
  const sniffed = sniffAudioFormat(content);
  const format = video && sniffed === 'm4a' ? 'mp4' : sniffed;
  if (!format) throw new MediaError(`That ${label} is in an audio format I can't read; send a voice note, or an MP3, M4A, OGG, WAV or FLAC file.`);
  // Telegram gives a voice note's length; a recording shared as a file says it only in its own headers.
  const measured = file.durationSeconds === undefined ? await audioSeconds(content, AUDIO_MEDIA_TYPES[format]) : undefined;
  if (measured !== undefined && measured > config.transcription.maxSeconds) {
    throw new MediaError(`That ${label} is ${formatDuration(measured)} long; I transcribe up to ${formatDuration(config.transcription.maxSeconds)}.`);
  }
  const durationSeconds = file.durationSeconds ?? measured;
  const mediaType = AUDIO_MEDIA_TYPES[format];
  const key = await storeFile(request, { content, extension: format, contentType: mediaType });
  const store = await mediaStoreFor(config);
  const transcriber = await transcriberFor(config);
  let transcript: string;
  try {
    const audio = { content, mediaType, format, key, ...(store.uri ? { uri: store.uri(key) } : {}) };
    transcript = await transcriber.transcribe(audio, request.abortSignal ? { abortSignal: request.abortSignal } : {});
  } catch (error) {
    request.runtime.log.warn('transcription failed', { error: errorMessage(error) });
    if (request.abortSignal?.aborted) throw new MediaError(`Transcribing that ${label} took longer than I can wait. Please send a shorter one, or type your message.`, { cause: error });
    throw new MediaError(`I couldn't transcribe that ${label} just now. Please try again, or type your message.`, { cause: error });
  }
  if (!transcript) throw new MediaError(video ? `I can't watch videos, and I couldn't make out any words in that ${label}.` : `I couldn't make out any words in that ${label}.`);
  const seconds = durationSeconds !== undefined ? `, ${formatDuration(durationSeconds)}` : '';
  // A reply to an earlier note asks about it: its words are context, already answered once, and not echoed again.
  if (request.action.fromReply) return { note: `[The ${label} replied to${seconds}, kept as media:${key}. Its transcript, for reference:]\n${transcript}`, parts: [] };
  return {
    note: `[${NOTE_NAMES[file.kind] ?? 'Audio'}${seconds}, kept as media:${key}. ${video ? 'What was said in it' : 'Transcript'}, to be answered as if typed:]\n${transcript}`,
    parts: [],
    ...(transcript.length <= ECHO_MAX_CHARS ? { replyPrefix: `🎤 “${transcript}”\n\n` } : {}),
  };
}

let cached: { config: Config; transcriber: Promise<Transcriber> } | undefined;

/** Built on the first voice note; each engine's client is loaded only then. */
function transcriberFor(config: Config): Promise<Transcriber> {
  if (cached?.config !== config) cached = { config, transcriber: build(config) };
  return cached.transcriber;
}

async function build(config: Config): Promise<Transcriber> {
  const { transcription } = config;
  if (transcription.engine === 'aws') {
    const [{ TranscribeClient }, { AmazonTranscriber }] = await Promise.all([import('@aws-sdk/client-transcribe'), import('../../agent/aws/amazon-transcriber.ts')]);
    return new AmazonTranscriber({ client: new TranscribeClient({}), ...(transcription.language ? { languageCode: transcription.language } : {}) });
  }
  const [{ createOpenAI }, { AiSdkTranscriber }] = await Promise.all([import('@ai-sdk/openai'), import('../../agent/local/ai-sdk-transcriber.ts')]);
  const openai = createOpenAI({
    ...(transcription.openai.apiKey ? { apiKey: transcription.openai.apiKey } : {}),
    ...(transcription.openai.baseURL ? { baseURL: transcription.openai.baseURL } : {}),
  });
  return new AiSdkTranscriber(openai.transcription(transcription.model));
}

/** The media types of the containers below, as parsers of audio know them; an MP4 is a video message's. */
const AUDIO_MEDIA_TYPES = { ogg: 'audio/ogg', mp3: 'audio/mpeg', m4a: 'audio/mp4', mp4: 'video/mp4', wav: 'audio/wav', flac: 'audio/flac', webm: 'audio/webm' } as const;

const NOTE_NAMES: Partial<Record<FileRequest['file']['kind'], string>> = { voice: 'Voice note', video_note: 'Video message' };

/** Audio containers by their first bytes (Telegram voice notes are Ogg/Opus). */
export function sniffAudioFormat(bytes: Uint8Array): 'ogg' | 'mp3' | 'm4a' | 'wav' | 'flac' | 'webm' | undefined {
  const text = (start: number, end: number) => String.fromCharCode(...bytes.slice(start, end));
  if (text(0, 4) === 'OggS') return 'ogg';
  if (text(0, 4) === 'fLaC') return 'flac';
  if (text(0, 4) === 'RIFF' && text(8, 12) === 'WAVE') return 'wav';
  if (text(4, 8) === 'ftyp') return 'm4a';
  // An MPEG frame of Layer III: raw AAC (ADTS, layer bits 00) shares the sync bits, but is no format Transcribe reads.
  if (text(0, 3) === 'ID3' || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe6) === 0xe2)) return 'mp3';
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'webm';
  return undefined;
}

function formatDuration(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
}
