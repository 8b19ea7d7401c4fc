import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pgAddressOf } from '../store/postgres/open.ts';
import { checkSchemaName, isPostgresUrl } from '../store/postgres/connection.ts';

/** One end of a migration: a SQLite file, or a schema of a PostgreSQL database. */
export type DatabaseRef = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };

/** A refusal with its reason for the operator; nothing was changed. */
export class MigrateRefused extends Error {}

/**
 * `db` (a `-d`/KOMARI_DB or `--to` value) as a reference, checked: a PostgreSQL URL must parse
 * and the schema be a valid name. A message never repeats the URL: it may carry a password.
 */
export function databaseRef(db: string, schema: string, what: string): DatabaseRef {
  if (db === ':memory:') throw new MigrateRefused(`${what} is an in-memory database: there is nothing to migrate to or from`);
  if (!isPostgresUrl(db)) return { kind: 'sqlite', path: resolve(db) };
  let url: URL;
  try {
    url = new URL(db);
  } catch {
    throw new MigrateRefused(`${what} is not a valid PostgreSQL URL (expected postgres://user:password@host:5432/dbname)`);
  }
  if (url.port !== '' && !(Number(url.port) >= 1 && Number(url.port) <= 65535)) {
    throw new MigrateRefused(`${what} is not a valid PostgreSQL URL: the port must be 1-65535`);
  }
  try {
    checkSchemaName(schema);
  } catch (err) {
    throw new MigrateRefused((err as Error).message);
  }
  return { kind: 'postgres', url: db, schema };
}

/** A URL part decoded, or as written when its escapes are malformed. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function pgDatabaseOf(url: string): string {
  const u = new URL(url);
  return decoded(u.pathname.replace(/^\//, '')) || decoded(u.username) || '(default)';
}

/** How the reports name a database: the file, or host:port/database and schema; never a password. */
export function describeRef(ref: DatabaseRef): string {
  if (ref.kind === 'sqlite') return `SQLite ${ref.path}`;
  return `PostgreSQL ${pgAddressOf(ref.url)}/${pgDatabaseOf(ref.url)} (schema ${ref.schema})`;
}

/** The file behind a path (a link or another spelling of it is the same file); the path itself when there is none yet. */
function fileOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Whether both name the same database: the same file, or the same host, port, database and schema. */
export function sameDatabase(a: DatabaseRef, b: DatabaseRef): boolean {
  if (a.kind === 'sqlite' && b.kind === 'sqlite') return fileOf(a.path) === fileOf(b.path);
  if (a.kind === 'postgres' && b.kind === 'postgres') {
    const ua = new URL(a.url);
    const ub = new URL(b.url);
    return pgAddressOf(a.url).toLowerCase() === pgAddressOf(b.url).toLowerCase() && pgDatabaseOf(a.url) === pgDatabaseOf(b.url) &&
      ua.searchParams.get('host') === ub.searchParams.get('host') && a.schema === b.schema;
  }
  return false;
}

/** `text` with every URL of `refs` and its password taken out, whatever produced the text. */
export function scrubSecrets(text: string, refs: readonly DatabaseRef[]): string {
  let out = text;
  for (const ref of refs) {
    if (ref.kind !== 'postgres') continue;
    out = out.split(ref.url).join('<url>');
    const u = new URL(ref.url);
    for (const secret of [u.password, decoded(u.password)]) {
      if (secret.length >= 3) out = out.split(secret).join('***');
    }
  }
  return out;
}
