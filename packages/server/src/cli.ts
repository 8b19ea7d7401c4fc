#!/usr/bin/env node
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import { AccountService } from './auth/account-service.ts';
import { systemClock } from './clock.ts';
import { loadBootConfig, type BootConfig } from './config/boot-config.ts';
import { dataDirOf } from './config/data-dir.ts';
import { defaultServerLimits } from './config/limits.ts';
import { importKomari } from './import/komari/import-komari.ts';
import { formatImportReport } from './import/komari/report-text.ts';
import { withKomariSource } from './import/komari/source.ts';
import { startLocalAgent } from './local-agent.ts';
import { bannerText, bannerUrls, type FirstAdmin } from './logging/banner.ts';
import { pgOptionsOf, startServer } from './main.ts';
import { runMigrate } from './migrate/run-migrate.ts';
import { AuditService } from './services/audit-service.ts';
import { openStore } from './store/open-store.ts';
import { isPostgresUrl } from './store/postgres/connection.ts';
import type { Store } from './store/types.ts';

const usage = `komari-ts: server monitoring, wire-compatible with Komari

Usage: komari [command] [flags]

Commands:
  server            start the server (the default)
  chpasswd -p PW    set the password of the first account and end every session
  disable-2fa       turn off two-factor authentication for every account
  permit-login      re-enable password login (disable_password_login = false); a running
                    server applies it at the next login attempt
  unlock            clear the login locks (per address, per account, global) and the 2FA and
                    current-password re-check locks of a running server
  import PATH       import a Komari data folder (komari.db, metrics.db) or a Komari backup zip
                    into this database (stop the server first); refused when this server has
                    nodes of its own unless --merge
  migrate --to DB   copy this database (-d / KOMARI_DB) into DB, a postgres:// URL or a SQLite
                    file, and check every table's row count; DB must be empty (a new file, or
                    an empty PostgreSQL schema). Stop the server first: a SQLite file another
                    process has open is refused, and on PostgreSQL later writes would be lost.
                    The source is not changed; start the server on DB afterwards.

Flags:
  -d, --database PATH   SQLite file or postgres:// URL (env KOMARI_DB, default komari.db in the
                        data folder when one is given, else ./data/komari.db)
      --data-dir DIR    data folder: themes, favicon, backups, and the SQLite file unless -d
                        names one (env KOMARI_DATA_DIR; default: the database file's folder)
  -l, --listen ADDR     listen address (env KOMARI_LISTEN, default 0.0.0.0:25774)
      --local-agent     also run an agent for this host, as a node named after it (env
                        KOMARI_LOCAL_AGENT=1; scripts/start.sh sets it unless already set)
      --no-local-agent  run none (env KOMARI_LOCAL_AGENT=0)
  -p, --password PW     new password for chpasswd
      --merge           import: keep this server's nodes and values, add Komari's beside them
      --json            import, migrate: print the report as JSON
      --to DB           migrate: the target, postgres://user:password@host:5432/dbname or a file
      --schema NAME     migrate: the target's PostgreSQL schema (default KOMARI_PG_SCHEMA, public)
  -h, --help            this help
`;

const restartHint = 'Please restart the server to apply the changes.';

async function withStore<T>(config: BootConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  const db = config.db;
  if (db !== ':memory:' && !isPostgresUrl(db) && !existsSync(db)) {
    console.log('Database file does not exist.');
    process.exit(1);
  }
  const store = await openStore(db, pgOptionsOf(config));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      database: { type: 'string', short: 'd' },
      'data-dir': { type: 'string' },
      listen: { type: 'string', short: 'l' },
      password: { type: 'string', short: 'p' },
      'db-type': { type: 'string', short: 't' },
      help: { type: 'boolean', short: 'h' },
      'local-agent': { type: 'boolean' },
      merge: { type: 'boolean' },
      json: { type: 'boolean' },
      to: { type: 'string' },
      schema: { type: 'string' },
    },
    allowNegative: true,
  });
  const command = positionals[0] ?? 'server';
  if (values.help) return void console.log(usage);
  const config = loadBootConfig(
    { db: values.database, dataDir: values['data-dir'], listen: values.listen, localAgent: values['local-agent'] },
    process.env,
  );

  switch (command) {
    case 'server': {
      const created: FirstAdmin[] = [];
      const server = await startServer(config, (admin) => created.push(admin));
      let localAgent = config.localAgent ? await startLocalAgent(server.ctx, server.fastify.server.address()) : undefined;
      // Last, so the addresses (and a first start's password) are what the operator sees.
      const announce = () => {
        const urls = bannerUrls(server.fastify.server.address() as AddressInfo, config.publicUrl, networkInterfaces());
        console.log(bannerText(urls, created.shift()));
      };
      announce();
      // A restore swaps the database: this host's node may be another one (or none) now.
      server.onRestart(async (ctx) => {
        if (created.length > 0) announce(); // restored data without an account: a new one was made
        if (!config.localAgent) return;
        await localAgent?.stop();
        localAgent = await startLocalAgent(ctx, server.fastify.server.address());
      });
      const stop = () => {
        server.fastify.log.info('server is shutting down');
        (localAgent?.stop() ?? Promise.resolve()).then(() => server.stop()).then(
          () => process.exit(0),
          (err: unknown) => {
            server.fastify.log.error({ err }, 'shutdown failed: reports since the last flush may be lost');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      return;
    }
    case 'chpasswd': {
      if (!values.password) return void console.log(usage);
      const password = values.password;
      await withStore(config, async (store) => {
        const first = await store.accounts.first();
        if (!first) throw new Error('no account exists yet; start the server once first');
        console.log(`Changing password for user: ${first.username}`);
        await new AccountService(store, systemClock, new AuditService(store.audit, systemClock)).setPassword(first.uuid, password);
        console.log(`Password changed successfully, new password: ${password}`);
      });
      return void console.log(restartHint);
    }
    case 'disable-2fa':
      await withStore(config, (store) => store.accounts.clearTwoFactorForAll(Date.now()));
      console.log('2FA has been disabled.');
      return void console.log(restartHint);
    case 'permit-login':
      await withStore(config, async (store) => {
        await store.settings.setMany({ disable_password_login: false });
        await store.loginGuard.addUnlock('permit-login', Date.now());
      });
      console.log('Password login has been permitted.');
      return void console.log(restartHint);
    case 'unlock':
      await withStore(config, (store) => store.loginGuard.addUnlock('unlock', Date.now()));
      console.log('Login locks have been cleared: a running server lifts them at the next attempt.');
      return;
    case 'import': {
      if (!positionals[1]) return void console.log(usage);
      const store = await openStore(config.db, pgOptionsOf(config));
      try {
        const report = await withKomariSource(positionals[1], dataDirOf(config), defaultServerLimits.backup, (source) =>
          importKomari(source, store, { merge: values.merge, clock: systemClock }),
        );
        console.log(values.json ? JSON.stringify(report, null, 2) : formatImportReport(report));
      } finally {
        await store.close();
      }
      return void (values.json || console.log(`\n${restartHint}`));
    }
    case 'migrate': {
      if (!values.to) {
        console.error('migrate needs --to: a postgres:// URL or a SQLite file\n');
        console.error(usage);
        process.exit(2);
      }
      process.exitCode = await runMigrate({
        source: config.db,
        sourcePg: pgOptionsOf(config),
        to: values.to,
        targetPg: pgOptionsOf(config, values.schema),
        batchRows: defaultServerLimits.migrate.batchRows,
        json: values.json === true,
        progress: process.stderr.isTTY ? (table, rows) => console.error(`copied ${table}: ${rows} rows`) : undefined,
        out: (text) => console.log(text),
        err: (text) => console.error(text),
      });
      return;
    }
    default:
      console.error(`unknown command: ${command}\n`);
      console.error(usage);
      process.exit(2);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
