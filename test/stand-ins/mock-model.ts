import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4GenerateResult } from '@ai-sdk/provider';
import { MockLanguageModelV4 } from 'ai/test';

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

export function textResult(text: string): LanguageModelV4GenerateResult {
  return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: 'stop' }, usage, warnings: [] };
}

/**
 * A unit-test model that answers summaries and chat turns differently, so compaction can be observed.
 * For the real request/response path, tests use ReplayModelServer with the provider packages instead.
 */
/**
 * A model that thinks for 20 s before it answers `text`, unless the request is cut off first (a `/stop`, a
 * deadline): then it fails as an aborted request does.
 */
export async function thinkingUntilCutOff(call: LanguageModelV4CallOptions, text: string): Promise<LanguageModelV4GenerateResult> {
  await new Promise<void>((resolve) => {
    const thinking = setTimeout(resolve, 20_000);
    call.abortSignal?.addEventListener('abort', () => (clearTimeout(thinking), resolve()), { once: true });
  });
  call.abortSignal?.throwIfAborted();
  return textResult(text);
}

export function echoModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: async (options: LanguageModelV4CallOptions) => {
      const system = options.prompt.find((message) => message.role === 'system');
      const isSummary = typeof system?.content === 'string' && system.content.includes('running summary');
      return textResult(isSummary ? `summary #${Math.random().toString(36).slice(2, 6)}` : 'ok');
    },
  });
}

export function promptChars(options: LanguageModelV4CallOptions): number {
  return JSON.stringify(options.prompt).length;
}

/** A model whose every call is scripted by its index (0 for the first), counting the calls it was asked. */
export function scriptedModel(step: (call: LanguageModelV4CallOptions, index: number) => Promise<LanguageModelV4GenerateResult>): { model: LanguageModelV4; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    model: {
      specificationVersion: 'v4',
      provider: 'test',
      modelId: 'scripted',
      supportedUrls: {},
      doGenerate: (call) => step(call, calls++),
      doStream: () => Promise.reject(new Error('not streamed')),
    },
  };
}
