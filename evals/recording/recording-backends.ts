import type { ModelBackendFactory } from '../pipeline.ts';
import type { Scenario } from '../scenario-schema.ts';
import { upstreamFor, type Upstream } from './provider-upstream.ts';
import { RecordingModelProxy } from './recording-proxy.ts';

/**
 * A recording proxy per scenario, each forwarding to the real provider the scenario uses. Credentials are read
 * here, once, before any scenario hides the caller's environment; a missing one fails before anything runs.
 */
export function recordingBackends(providers: Array<Scenario['provider']>, env: NodeJS.ProcessEnv): ModelBackendFactory {
  const upstreams = new Map<Scenario['provider'], Upstream>();
  for (const provider of new Set(providers)) upstreams.set(provider, upstreamFor(provider, env));
  return (provider) => new RecordingModelProxy(upstreams.get(provider)!).start();
}
