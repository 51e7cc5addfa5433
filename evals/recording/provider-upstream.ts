import type { ModelProvider } from '../../agent/providers.ts';
/** The real provider a recording proxy forwards to, and how it authenticates there. */
export interface Upstream {
  provider: ModelProvider;
  baseUrl: string;
  authorization: string;
  /** The request paths the provider packages call for one non-streaming generation. */
  accepts: (method: string, path: string) => boolean;
}

export class MissingRecordingCredential extends Error {
  constructor(readonly variable: string, why: string) {
    super(`--record needs ${variable}: ${why}`);
  }
}

/**
 * Reads the real credentials from the caller's environment before the pipeline hides it. Bedrock is recorded with
 * a Bedrock API key (Bearer auth) rather than SigV4 keys: inside the pipeline the standard AWS credential variables
 * belong to the local emulators, and a bearer token can be forwarded without re-signing.
 */
export function upstreamFor(provider: Upstream['provider'], env: NodeJS.ProcessEnv): Upstream {
  if (provider === 'deepseek') {
    const key = env.DEEPSEEK_API_KEY;
    if (!key) throw new MissingRecordingCredential('DEEPSEEK_API_KEY', 'set it to a DeepSeek key to record DeepSeek scenarios against https://api.deepseek.com.');
    return {
      provider,
      baseUrl: 'https://api.deepseek.com',
      authorization: `Bearer ${key}`,
      accepts: (method, path) => method === 'POST' && path === '/chat/completions',
    };
  }
  const token = env.AWS_BEARER_TOKEN_BEDROCK;
  if (!token) {
    throw new MissingRecordingCredential(
      'AWS_BEARER_TOKEN_BEDROCK',
      'set it to a Bedrock API key (and AWS_REGION, default us-east-1) to record Bedrock scenarios against the Converse API.',
    );
  }
  return {
    provider,
    baseUrl: `https://bedrock-runtime.${env.AWS_REGION || 'us-east-1'}.amazonaws.com`,
    authorization: `Bearer ${token}`,
    accepts: (method, path) => method === 'POST' && /^\/model\/[^/]+\/converse$/.test(path),
  };
}
