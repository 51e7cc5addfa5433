import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../agent/config.ts';
import { ConfigError } from '../../tools/errors.ts';
import { acceptsImages, acceptsDocuments } from '../../handlers/media/model-inputs.ts';

describe('media and edit settings', () => {
  it('defaults: 10-minute edits, 20 MB files, 3.75 MB images, media beside the skills, no transcription without a service', () => {
    const config = loadConfig({});
    expect(config.telegram.editWindowSeconds).toBe(600);
    expect(config.media).toEqual({ bucket: undefined, prefix: 'media/', maxBytes: 20 * 1024 * 1024, imageMaxBytes: 3_750_000, vision: 'auto', documentMaxPages: 30, documentMaxChars: 60_000 });
    expect(config.transcription.engine).toBe('off');
    expect(loadConfig({ HERMES_SKILLS_S3_BUCKET: 'skills-bucket' }).media.bucket).toBe('skills-bucket');
  });

  it('picks Amazon Transcribe when files live in S3, OpenAI when it has a key, and honours an explicit choice', () => {
    expect(loadConfig({ HERMES_MEDIA_S3_BUCKET: 'media-bucket' }).transcription.engine).toBe('aws');
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }).transcription).toMatchObject({ engine: 'openai', model: 'gpt-4o-mini-transcribe' });
    expect(loadConfig({ HERMES_SKILLS_S3_BUCKET: 'bkt', OPENAI_API_KEY: 'sk-x', HERMES_TRANSCRIBE: 'openai' }).transcription.engine).toBe('openai');
    expect(loadConfig({ HERMES_SKILLS_S3_BUCKET: 'bkt', HERMES_TRANSCRIBE: 'off' }).transcription.engine).toBe('off');
  });

  it("reads classic Hermes' voice settings, which win over the OpenAI ones", () => {
    expect(loadConfig({ VOICE_TOOLS_OPENAI_KEY: 'sk-voice', STT_OPENAI_MODEL: 'whisper-1', STT_OPENAI_BASE_URL: 'https://stt.example/v1' }).transcription).toMatchObject({
      engine: 'openai',
      model: 'whisper-1',
      openai: { apiKey: 'sk-voice', baseURL: 'https://stt.example/v1' },
    });
    expect(loadConfig({ VOICE_TOOLS_OPENAI_KEY: 'sk-voice', OPENAI_API_KEY: 'sk-main', HERMES_TRANSCRIBE_MODEL: 'gpt-4o-transcribe', STT_OPENAI_MODEL: 'whisper-1' }).transcription).toMatchObject({
      model: 'gpt-4o-transcribe',
      openai: { apiKey: 'sk-voice' },
    });
    // A Hermes user's OPENAI_BASE_URL is often their main model's provider: the voice key never goes there.
    expect(loadConfig({ VOICE_TOOLS_OPENAI_KEY: 'sk-voice', OPENAI_BASE_URL: 'https://openrouter.ai/api/v1' }).transcription.openai).toEqual({ apiKey: 'sk-voice', baseURL: 'https://api.openai.com/v1' });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-main', OPENAI_BASE_URL: 'https://llm.example/v1' }).transcription.openai).toEqual({ apiKey: 'sk-main', baseURL: 'https://llm.example/v1' });
  });

  it.each([
    [{ HERMES_MEDIA_MAX_BYTES: String(21 * 1024 * 1024) }, 'HERMES_MEDIA_MAX_BYTES'],
    [{ HERMES_VISION: 'maybe' }, 'HERMES_VISION'],
    [{ HERMES_EDIT_WINDOW_SECONDS: '-5' }, 'HERMES_EDIT_WINDOW_SECONDS'],
    [{ HERMES_TRANSCRIBE: 'whisper' }, 'HERMES_TRANSCRIBE'],
    [{ HERMES_TRANSCRIBE_LANGUAGE: 'english' }, 'HERMES_TRANSCRIBE_LANGUAGE'],
    [{ OPENAI_BASE_URL: 'nope' }, 'OPENAI_BASE_URL'],
    [{ STT_OPENAI_BASE_URL: 'nope' }, 'STT_OPENAI_BASE_URL'],
  ])('rejects %o naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it.each([
    ['deepseek', 'deepseek-v4-pro', false],
    ['deepseek', 'deepseek-flash', true],
    ['deepseek', 'deepseek-v4-flash-vision-exp', true],
    ['bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0', true],
    ['bedrock', 'us.amazon.nova-lite-v1:0', true],
    ['bedrock', 'us.amazon.nova-micro-v1:0', false],
    ['bedrock', 'us.amazon.nova-2-lite-v1:0', true],
  ] as const)('%s %s takes images: %s', (provider, model, expected) => {
    expect(acceptsImages(loadConfig({ HERMES_PROVIDER: provider, HERMES_MODEL: model }))).toBe(expected);
  });

  it('lets HERMES_VISION override the guess, and sends PDFs natively only to Bedrock Claude and Nova', () => {
    expect(acceptsImages(loadConfig({ HERMES_MODEL: 'deepseek-v4-pro', HERMES_VISION: 'on' }))).toBe(true);
    expect(acceptsImages(loadConfig({ HERMES_PROVIDER: 'bedrock', HERMES_VISION: 'off' }))).toBe(false);
    expect(acceptsDocuments(loadConfig({ HERMES_PROVIDER: 'bedrock' }))).toBe(true);
    expect(acceptsDocuments(loadConfig({ HERMES_MODEL: 'deepseek-flash' }))).toBe(false);
  });
});
