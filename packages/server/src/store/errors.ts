/**
 * What a store throws when the cause matters to the caller, whatever the engine: each engine maps
 * its own codes onto these (SQLite in store/sqlite/errors.ts), so no handler reads an engine's
 * message text. Anything else a store throws is an internal error.
 */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A write broke a uniqueness rule; `field` names the column (e.g. `token`, `username`). */
export class StoreConflict extends StoreError {
  readonly field: string;

  constructor(field: string, options?: ErrorOptions) {
    super(`${field} is already used`, options);
    this.field = field;
  }
}

/**
 * The database cannot grow (disk or quota full). Nothing was written; reads still work, and
 * writes work again once space returns, without a restart.
 */
export class StoreFull extends StoreError {
  constructor(options?: ErrorOptions) {
    super('database is full', options);
  }
}

/** The database file cannot be used (empty, not a database, corrupt); the message names it. */
export class StoreFileError extends StoreError {}

/**
 * The database cannot be reached now (PostgreSQL down, restarting, or not answering within the
 * pool's timeouts). Nothing was done; the same call works again once it is back, without a
 * restart: the pool opens new connections by itself.
 */
export class StoreUnavailable extends StoreError {
  constructor(options?: ErrorOptions) {
    super('database is unavailable', options);
  }
}

/** A failure the database's state explains (full, unreachable), not a bug: worth a 503, not a 500. */
export function isStoreOutage(err: unknown): err is StoreFull | StoreUnavailable {
  return err instanceof StoreFull || err instanceof StoreUnavailable;
}

/**
 * Text the database cannot hold (PostgreSQL refuses the NUL character, which SQLite keeps): the
 * caller sent it, so it is the caller's error (400), and nothing was written.
 */
export class StoreInvalidText extends StoreError {
  constructor(options?: ErrorOptions) {
    super('text must not contain NUL characters', options);
  }
}
