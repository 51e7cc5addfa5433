/**
 * The JSON logger writes straight to stdout (one line per event, as CloudWatch reads it), past vitest's console
 * capture. Routing its lines through the console lets vitest show them only for tests that fail, so tests that
 * provoke errors on purpose print nothing when they pass.
 */
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  if (typeof chunk === 'string' && chunk.startsWith('{"level":')) {
    console.log(chunk.trimEnd());
    return true;
  }
  return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;
