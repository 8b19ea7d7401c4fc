/**
 * The package's JavaScript, bundled from the TypeScript sources: Node refuses to strip types from
 * files under node_modules (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), which is where an npm
 * install puts them, so the installed server runs plain JavaScript and needs no TypeScript tooling.
 */
import { chmodSync, copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { rolldown, type InputOptions, type Plugin } from 'rolldown';
import { repoRoot } from './layout.ts';

/**
 * Imports the bundle may keep without the package depending on them: reached only to rebuild the
 * agent bundle when it is older than its sources, and the package ships no sources (so the built
 * agent is never stale there: packages/agent/scripts/build.ts, isBuildFresh).
 */
const buildTimeOnly = new Set(['rolldown']);

/** Where the bundle's data files go, beside it: `<bundle folder>/files/<path under the sources' root>`. */
const filesDir = 'files';

/** `fastify/types` → `fastify`, `@scope/name/x.js` → `@scope/name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** An npm package the bundle imports at run time (not a file, not a Node builtin, not ours). */
function isNpmImport(id: string): boolean {
  if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0') || isBuiltin(id)) return false;
  return !id.startsWith('@komari-ts/');
}

async function bundleOne(input: string, options: Partial<InputOptions>): Promise<string> {
  const bundle = await rolldown({ input, platform: 'node', logLevel: 'warn', ...options });
  try {
    // One file: no chunk names to ship, nothing the launcher must find beside it.
    const { output } = await bundle.generate({ format: 'esm', codeSplitting: false });
    if (output.length !== 1) throw new Error(`${input} bundled into ${output.length} files, expected one`);
    return output[0].code.replace(/^#!.*\n/, '');
  } finally {
    await bundle.close();
  }
}

function write(path: string, text: string, executable = false): number {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  if (executable) chmodSync(path, 0o755);
  return Buffer.byteLength(text);
}

/**
 * A plugin that ships the data files the sources read beside themselves: `new URL('./x.sh',
 * import.meta.url)` naming a file (not a folder: those are the checkout's layout, which the
 * launcher maps) becomes `new URL('./files/<path>', import.meta.url)`, and the file is listed
 * for copying next to the bundle.
 */
function sourceFiles(sourceRoot: string, copies: Map<string, string>): Plugin {
  const pattern = /new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
  return {
    name: 'komari-source-files',
    transform(code, id) {
      if (!id.startsWith(sourceRoot) || id.includes('/node_modules/')) return null;
      const out = code.replace(pattern, (whole, _q: string, rel: string) => {
        const path = resolve(dirname(id), rel);
        if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return whole;
        const inRepo = relative(sourceRoot, path);
        // the package holds what is under the sources' root; anything else would be missing there
        if (inRepo.startsWith('..')) throw new Error(`${id} reads ${path}, outside ${sourceRoot}: the package would not have it`);
        copies.set(inRepo, path);
        return `new URL(${JSON.stringify(`./${filesDir}/${inRepo}`)}, import.meta.url)`;
      });
      return out === code ? null : { code: out };
    },
  };
}

/**
 * The server (packages/server/src/cli.ts with packages/protocol inlined) as one ES module. Its
 * npm dependencies stay imports, installed beside it; each must be in `dependencies`, so a new
 * import that the package would lack fails here, at build time, not on a user's machine.
 */
export async function bundleServer(
  out: string,
  dependencies: Record<string, string>,
  /** the entry point and the root of the sources whose files it may ship (tests give their own) */
  entry = { input: join(repoRoot, 'packages/server/src/cli.ts'), sourceRoot: join(repoRoot, 'packages') },
): Promise<number> {
  const missing = new Set<string>();
  const copies = new Map<string, string>();
  const code = await bundleOne(entry.input, {
    external: (id, _importer, isResolved) => {
      if (isResolved || !isNpmImport(id)) return false;
      if (!(packageOf(id) in dependencies) && !buildTimeOnly.has(packageOf(id))) missing.add(id);
      return true;
    },
    plugins: [sourceFiles(entry.sourceRoot, copies)],
    // The agent's build script (imported for its paths) builds the agent when it is the main
    // module; inside the server it never is, and the bundle's own main-ness must not say otherwise.
    transform: { define: { 'import.meta.main': 'false' } },
  });
  if (missing.size > 0) {
    throw new Error(`the server imports ${[...missing].join(', ')}, missing from the package's dependencies (packages/server's and packages/protocol's)`);
  }
  for (const [inRepo, from] of copies) {
    const to = join(dirname(out), filesDir, inRepo);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  return write(out, `// Built by deploy/package/build.ts from packages/server/src; do not edit.\n${code}`);
}

/**
 * A launcher (deploy/package/launcher.ts, healthcheck.ts): bundled with the small files it
 * imports, behind a `#!` line that runs it with `nodeFlags`.
 */
export async function bundleLauncher(source: string, out: string, nodeFlags: readonly string[]): Promise<number> {
  // Everything it imports is inlined: a launcher runs before (or without) the installed dependencies.
  const code = await bundleOne(source, {});
  const shebang = nodeFlags.length > 0 ? `#!/usr/bin/env -S node ${nodeFlags.join(' ')}` : '#!/usr/bin/env node';
  return write(out, `${shebang}\n// Built by deploy/package/build.ts; do not edit.\n${code}`, true);
}
