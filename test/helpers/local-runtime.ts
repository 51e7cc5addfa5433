import type { LanguageModel } from 'ai';
import { afterEach, vi } from 'vitest';
import type { ReplayModelServer } from '../stand-ins/replay-model-server.ts';
import { loadConfig } from '../../agent/config.ts';
import type { ModelProvider } from '../../agent/providers.ts';
import { silentLogger } from '../../agent/logger.ts';
import { createRuntime, type Runtime } from '../../agent/runtime.ts';
import { makeTempDir } from '../stand-ins/temp-dir.ts';

export interface LocalRuntimeOptions {
  provider?: ModelProvider;
  /** Base URL of a ReplayModelServer; the real provider package is pointed at it. */
  modelUrl?: string;
  model?: LanguageModel;
  env?: Record<string, string>;
}

/** A runtime with every embedded local adapter under a fresh HERMES_HOME. */
export async function makeLocalRuntime(options: LocalRuntimeOptions = {}): Promise<{ runtime: Runtime; home: string; cleanup: () => Promise<void> }> {
  const dir = await makeTempDir('hermes-home-');
  const env: Record<string, string> = {
    HERMES_HOME: dir.path,
    HERMES_PROVIDER: options.provider ?? 'deepseek',
    DEEPSEEK_API_KEY: 'sk-test-replay',
    // Each message its own turn, as most suites count answers per message; the batching suites turn it on.
    HERMES_TELEGRAM_TEXT_BATCH_DELAY_SECONDS: '0',
    ...(options.modelUrl ? { DEEPSEEK_BASE_URL: options.modelUrl, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: options.modelUrl } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const runtime = await createRuntime(config, { log: silentLogger, ...(options.model ? { model: options.model } : {}) });
  return { runtime, home: dir.path, cleanup: dir.remove };
}

/**
 * For suites that drive the real provider packages against a replay server: each test gets a runtime on the server
 * it started, and after it both are closed and its stubbed variables undone.
 */
export function useReplayRuntime(): (server: ReplayModelServer, options?: Omit<LocalRuntimeOptions, 'modelUrl'>) => Promise<Runtime> {
  let open: { server: ReplayModelServer; cleanup: () => Promise<void> } | undefined;
  afterEach(async () => {
    await open?.cleanup();
    await open?.server.close();
    open = undefined;
    vi.unstubAllEnvs();
  });
  return async (server, options = {}) => {
    const { runtime, cleanup } = await makeLocalRuntime({ ...options, modelUrl: server.url });
    open = { server, cleanup };
    return runtime;
  };
}
