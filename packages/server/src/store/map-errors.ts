/**
 * The repository with every method's engine errors mapped through `map` onto the store errors
 * (store/errors.ts): one wrapper for every engine, each engine giving its own `map`.
 */
export function withErrorMapping<R extends object>(repo: R, map: (err: unknown) => unknown): R {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(repo)) {
    if (typeof value !== 'function') {
      out[name] = value;
      continue;
    }
    out[name] = async (...args: unknown[]) => {
      try {
        return await (value as (...a: unknown[]) => unknown).apply(repo, args);
      } catch (err) {
        throw map(err);
      }
    };
  }
  return out as R;
}
