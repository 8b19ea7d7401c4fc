/**
 * The installed `komari` command (bin/komari.mjs in the package; deploy/package/build.ts bundles
 * it behind a `#!` line carrying the server's Node flags). It checks the Node version, points the
 * server at the web UI inside the package, then runs the bundled server (dist/komari.mjs).
 */
import { fileURLToPath } from 'node:url';
import { packageLimits } from './limits.ts';

const { major, minor } = packageLimits.minimumNode;
const [have = 0, haveMinor = 0] = process.versions.node.split('.').map(Number);
if (have < major || (have === major && haveMinor < minor)) {
  console.error(`komari: Node.js >= ${major}.${minor} is required; this is ${process.version} (${process.execPath})`);
  process.exit(1);
}

// In a checkout the server finds packages/web beside its source; installed, the UI is in web/
// of the package. An operator's own KOMARI_WEB_ROOT still wins.
process.env.KOMARI_WEB_ROOT ||= fileURLToPath(new URL('../web', import.meta.url));

// Imported only now, so the variable above is set before the server reads its configuration.
await import(new URL('../dist/komari.mjs', import.meta.url).href);
