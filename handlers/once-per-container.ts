/**
 * Work done once per Lambda container and shared by its later invocations (a module load, the secrets, the agent).
 * A failed attempt is forgotten, so the next invocation tries again instead of failing until the container is
 * recycled. The arguments of the call that starts the work are the ones used.
 */
export function oncePerContainer<A extends unknown[], T>(start: (...args: A) => Promise<T>): { get(...args: A): Promise<T>; forget(): void } {
  let started: Promise<T> | undefined;
  return {
    get: (...args) => {
      if (started) return started;
      const attempt = start(...args).catch((error: unknown) => {
        // Only this attempt is forgotten: after a forget() a newer one may be running already.
        if (started === attempt) started = undefined;
        throw error;
      });
      started = attempt;
      return attempt;
    },
    forget: () => {
      started = undefined;
    },
  };
}
