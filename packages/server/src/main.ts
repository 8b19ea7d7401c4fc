import { buildApp, type BuildOptions, type BuiltApp } from './app.ts';
import { splitListen, type BootConfig } from './config/boot-config.ts';
import { raiseFdLimit, type FdRaise } from './fd-limit.ts';
import { openSqliteStore } from './store/sqlite/open.ts';

/** The open-files figures at start, and the guest-socket cap they leave (issue 12). */
function logFdLimit(built: BuiltApp, fd: FdRaise): void {
  const figures = { before: fd.before, after: fd.after, maxGuestSockets: built.ctx.viewers.maxGuests };
  if (fd.problem) built.fastify.log.warn(figures, `open-files limit not raised: ${fd.problem}`);
  else built.fastify.log.info(figures, `open-files limit: soft ${fd.after?.soft} (was ${fd.before?.soft}), hard ${fd.after?.hard}`);
}

export interface RunningServer extends BuiltApp {
  /** the bound address, e.g. http://127.0.0.1:25774 */
  url: string;
  stop(): Promise<void>;
}

/** What tests may hand the app beside the config. */
export type StartOptions = Pick<BuildOptions, 'clock' | 'limits' | 'oauthEndpoints' | 'logStream'>;

/**
 * The composition root: open the store, migrate, build the app, create the first account,
 * listen. `stop` closes in reverse order. `print` receives the one-time admin password line;
 * `opts` is for tests: a clock they move, bounds they shrink, GitHub's URLs pointed at a local
 * stand-in, a stream their log lines go to.
 */
export async function startServer(
  config: BootConfig,
  print: (line: string) => void = console.log,
  opts: StartOptions = {},
): Promise<RunningServer> {
  const fd = raiseFdLimit();
  const store = openSqliteStore(config.db);
  let built: BuiltApp;
  try {
    built = await buildApp({ ...opts, config, store, logger: config.logLevel !== 'silent', openFiles: fd.after?.soft });
    logFdLimit(built, fd);
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
