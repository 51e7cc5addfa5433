/**
 * Variables of the caller's shell that would change what the pipeline does: a real AWS profile or endpoint, a
 * secrets ARN, a Bedrock API key, a model override. They are hidden while a scenario runs.
 */
const PIPELINE_PREFIXES = ['HERMES_', 'TELEGRAM_', 'DEEPSEEK_', 'AWS_'];

/**
 * Replaces every pipeline variable of process.env with `vars` (the handler reads process.env, as on Lambda) and
 * returns the function that puts the caller's environment back exactly as it was.
 */
export function replacePipelineEnv(vars: Record<string, string>): () => void {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) {
    if (PIPELINE_PREFIXES.some((prefix) => key.startsWith(prefix))) delete process.env[key];
  }
  Object.assign(process.env, vars);
  return () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  };
}
