// Metric instruments are made on first use, not at import: the metrics API
// has no proxy meter, so an instrument made before the SDK (or a test's
// in-memory provider) is registered would stay a no-op forever.

/** A getter that makes its value the first time it is called and returns that value from then on. */
export function onFirstUse<T>(make: () => T): () => T {
  let made: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      made = make();
      done = true;
    }
    return made as T;
  };
}
