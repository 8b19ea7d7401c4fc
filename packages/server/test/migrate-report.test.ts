import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseRef, describeRef, sameDatabase, scrubSecrets } from '../src/migrate/database-ref.ts';
import { formatMigrateReport, verifyCounts } from '../src/migrate/verify-counts.ts';

describe('komari migrate: the count check and how databases are named', () => {
  const about = { source: 'SQLite /data/komari.db', target: 'PostgreSQL db:5432/komari (schema public)', ms: 12 };

  it('equal counts verify; a table whose count differs fails the check, named in the report', () => {
    const ok = verifyCounts(new Map([['clients', 3], ['settings', 40]]), new Map([['clients', 3], ['settings', 40]]), about);
    assert.equal(ok.verified, true);
    assert.equal(ok.rows, 43);
    assert.match(formatMigrateReport(ok), /^verified: every table of the target holds as many rows as the source \(2 tables, 43 rows\)$/m);
    const bad = verifyCounts(new Map([['clients', 3], ['settings', 40]]), new Map([['clients', 2], ['settings', 40], ['extra', 1]]), about);
    assert.equal(bad.verified, false);
    assert.deepEqual(bad.mismatches, ['clients', 'extra']);
    const text = formatMigrateReport(bad);
    assert.match(text, /^clients\s+3\s+2 {3}<- differs$/m);
    assert.match(text, /^NOT verified: the row counts differ for clients, extra$/m);
  });

  it('names a PostgreSQL database by host, port, database and schema, never its user or password', () => {
    const ref = databaseRef('postgres://komari:p%40ss-w0rd@DB.example:6543/monitor?sslmode=require', 'tenant_a', '--to');
    assert.equal(describeRef(ref), 'PostgreSQL DB.example:6543/monitor (schema tenant_a)');
    assert.equal(scrubSecrets('failed for postgres://komari:p%40ss-w0rd@DB.example:6543/monitor?sslmode=require and p@ss-w0rd', [ref]), 'failed for <url> and ***');
  });

  it('the same PostgreSQL database is the same host, port, database and schema, whoever connects', () => {
    const a = databaseRef('postgres://a:x@db:5432/komari', 'public', 'a');
    assert.equal(sameDatabase(a, databaseRef('postgresql://b:y@DB/komari', 'public', 'b')), true);
    assert.equal(sameDatabase(a, databaseRef('postgres://a:x@db:5432/komari', 'other', 'b')), false);
    assert.equal(sameDatabase(a, databaseRef('postgres://a:x@db:5433/komari', 'public', 'b')), false);
    assert.equal(sameDatabase(a, databaseRef('postgres://a:x@db:5432/komari2', 'public', 'b')), false);
    assert.equal(sameDatabase(a, databaseRef('./komari.db', 'public', 'b')), false);
  });

  it('an in-memory database is no end of a migration', () => {
    assert.throws(() => databaseRef(':memory:', 'public', '--to'), /--to is an in-memory database/);
  });
});
