/**
 * The installable server package (`komari-ts-<version>.tgz`): its name, what is inside, and where
 * an install puts the `komari` command. One place, read by the build script, the Dockerfile test,
 * the systemd test and the install test, so the four cannot disagree.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The package's npm name (the tarball is `<name>-<version>.tgz`). */
export const packageName = 'komari-ts';

/** The script that builds the tarball: the test runs it, and so does the Dockerfile's build stage. */
export const buildScript = 'deploy/package/build.ts';
/** The script that installs a tarball into a prefix: the test runs it, and so does the Dockerfile. */
export const installScript = 'deploy/package/install.sh';

/** Commands the package installs into `<prefix>/bin/`. */
export const commands = { server: 'komari', healthcheck: 'komari-healthcheck' } as const;

/** Inside the package: the launchers, the server bundle, the built agent and the web UI's root. */
export const inside = {
  launcher: 'bin/komari.mjs',
  healthcheck: 'bin/komari-healthcheck.mjs',
  serverBundle: 'dist/komari.mjs',
  // packages/agent/scripts/build.ts finds the built agent at `<its folder>/../dist/`; in the bundle
  // its folder is the bundle's, dist/, so this is where the local agent looks.
  agentBundle: 'dist/komari-agent.cjs',
  // KOMARI_WEB_ROOT for the server: a folder holding dist/index.html
  webRoot: 'web',
} as const;

/** npm's global prefix on Debian's and the official Node builds: the systemd unit's convention. */
export const defaultPrefix = '/usr/local';
/** The Docker image installs into its own prefix, beside (not over) the image's Node. */
export const imagePrefix = '/opt/komari';

/** `npm install -g --prefix <prefix>` puts a package's command here. */
export const installedCommand = (prefix: string, command: string = commands.server): string => join(prefix, 'bin', command);

/** Where `npm install -g --prefix <prefix>` puts the package itself. */
export const installedPackageDir = (prefix: string): string => join(prefix, 'lib', 'node_modules', packageName);
