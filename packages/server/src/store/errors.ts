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
