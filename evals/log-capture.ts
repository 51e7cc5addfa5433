type Write = typeof process.stdout.write;

/**
 * Holds back the pipeline's JSON log lines while a scenario runs, so the report stays readable; the runner shows
 * them only for a scenario that failed. Any other output passes through untouched.
 */
export function captureLogLines(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((stream) => stream.write);
  streams.forEach((stream, index) => {
    const original = originals[index]!;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string' && chunk.startsWith('{"level":')) {
        lines.push(chunk.trimEnd());
        return true;
      }
      return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
    }) as Write;
  });
  return {
    lines,
    stop: () => streams.forEach((stream, index) => (stream.write = originals[index]!)),
  };
}
