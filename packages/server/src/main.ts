import { buildApp, type BuiltApp } from './app.ts';
import type { Clock } from './clock.ts';
import { splitListen, type BootConfig } from './config/boot-config.ts';
import type { LimitOverrides } from './config/limits.ts';
import type { OAuthEndpoints } from './oauth/providers/types.ts';
import { openSqliteStore } from './store/sqlite/open.ts';

export interface RunningServer extends BuiltApp {
  /** the bound address, e.g. http://127.0.0.1:25774 */
  url: string;
  stop(): Promise<void>;
}

/**
 * The composition root: open the store, migrate, build the app, create the first account,
 * listen. `stop` closes in reverse order. `print` receives the one-time admin password line;
 * `opts` is for tests: a clock they move, bounds they shrink, GitHub's URLs pointed at a local stand-in.
 */
export async function startServer(
  config: BootConfig,
  print: (line: string) => void = console.log,
  opts: { clock?: Clock; limits?: LimitOverrides; oauthEndpoints?: Partial<OAuthEndpoints> } = {},
): Promise<RunningServer> {
  const store = openSqliteStore(config.db);
  let built: BuiltApp;
  try {
    built = await buildApp({ config, store, clock: opts.clock, limits: opts.limits, oauthEndpoints: opts.oauthEndpoints, logger: config.logLevel !== 'silent' });
    const created = await built.ctx.accounts.ensureFirstAccount(config.adminUsername, config.adminPassword);
    if (created) {
      print(`Default admin account created. Username: ${created.username} , Password: ${created.password}`);
    }
    const { host, port } = splitListen(config.listen);
    await built.fastify.listen({ host, port });
  } catch (err) {
    await store.close();
    throw err;
  }
  const addr = built.fastify.server.address();
  const url = typeof addr === 'object' && addr ? `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}` : '';
  return {
    ...built,
    url,
    async stop() {
      try {
        await built.fastify.close();
      } finally {
        await store.close();
      }
    },
  };
}
