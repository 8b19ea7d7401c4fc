import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { readCookie } from '../http/cookies.ts';
import { isValidTempKey } from '../http/identity.ts';
import { isBuiltInUi } from './built-in-ui.ts';
import { registerFaviconRoutes, sendUploadedFavicon } from './favicon.ts';
import { renderIndex } from './index-page.ts';
import { fetchedAsServiceWorker, serviceWorkerGuard } from './sw-guard.ts';
import type { ThemeFiles } from './theme-files.ts';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * A theme file as it is, typed by its extension and never sniffed (a theme's `.txt` is not run as
 * a script). Fetched as a service worker's script, it gets the isolation guard in front (sw-guard.ts).
 */
function sendFile(app: AppContext, files: ThemeFiles, request: FastifyRequest, reply: FastifyReply, path: string): FastifyReply {
  const type = mimeTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const size = statSync(path).size;
  reply.type(type).header('x-content-type-options', 'nosniff');
  if (!fetchedAsServiceWorker(request) || !type.startsWith('text/javascript')) {
    return reply.header('content-length', size).send(createReadStream(path));
  }
  const limits = app.limits.themeServing;
  // Refused rather than sent unguarded: a worker without the guard could capture /admin.
  if (size > limits.maxServiceWorkerScriptBytes) return reply.code(403).type('text/plain; charset=utf-8').send('service worker script too large');
  return reply.send(serviceWorkerGuard(files.builtInAssetPaths(limits.maxGuardAssetPaths)) + readFileSync(path, 'utf8'));
}

/**
 * The web UI as Komari serves its themes (themes.md §4.2–4.4): `/favicon.ico` (an uploaded one
 * first, and its upload/delete routes), `/themes/<id>/*`,
 * and every other unmatched GET answered from the active theme's `dist/` or with its index page,
 * which is what makes client-side routes (`/instance/<uuid>`, `/admin/...`) load.
 */
export function registerThemeRoutes(fastify: FastifyInstance, app: AppContext, files: ThemeFiles, dataDir: string): void {
  registerFaviconRoutes(fastify, app, dataDir);
  fastify.get('/favicon.ico', (request, reply) => {
    if (sendUploadedFavicon(dataDir, request, reply)) return reply;
    const found = files.lookup(app.settings.get('theme'), 'dist/favicon.ico');
    return found ? sendFile(app, files, request, reply, found) : reply.code(404).send();
  });

  fastify.get('/themes/:id/*', (request, reply) => {
    const { id, '*': rest } = request.params as { id: string; '*': string };
    const found = files.lookup(id, rest);
    return found ? sendFile(app, files, request, reply, found) : reply.code(404).send();
  });

  fastify.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET') return reply.code(404).send();
    return answerSpa(app, files, request, reply);
  });
}

function answerSpa(app: AppContext, files: ThemeFiles, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const url = new URL(request.url, 'http://x');
  shareTempKey(app, url, reply);
  const active = app.settings.get('theme');
  // `/..%2fpackage.json`, `/%2e%2e/x`: a path that tries to climb names no page and no file. The
  // raw path is checked, since URL parsing straightens some of them out.
  if (climbs(request.url.split('?')[0]!)) return reply.code(404).type('text/plain; charset=utf-8').send('404 page not found');
  const path = decoded(url.pathname);
  // The admin panel and the terminal are always the default theme, without the site's text; a
  // theme's files never answer under their prefixes, nor in place of the panel's own assets.
  const builtIn = isBuiltInUi(url.pathname);
  const asset = path === '/' ? undefined : (files.builtInAsset('dist' + path) ?? files.lookup(builtIn ? 'default' : active, 'dist' + path));
  if (asset) return sendFile(app, files, request, reply, asset);
  const theme = builtIn ? 'default' : active;
  const index = files.lookup(theme, 'dist/index.html');
  if (!index) {
    return reply
      .code(404)
      .type('text/plain; charset=utf-8')
      .send(`Index file missing (checked ${theme}/dist/index.html and default).`);
  }
  const s = app.settings;
  const html = renderIndex(readFileSync(index, 'utf8'), {
    language: readCookie(request.headers.cookie, 'language'),
    themed: !builtIn,
    site: { sitename: s.get('sitename'), description: s.get('description'), custom_head: s.get('custom_head'), custom_body: s.get('custom_body') },
  });
  return reply.code(200).type('text/html; charset=utf-8').send(html);
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function climbs(rawPath: string): boolean {
  const path = decoded(rawPath);
  return path.includes('\\') || path.split('/').includes('..');
}

/** `?temp_key=<token>` on a page load hands the visitor the share cookie (public-api.md §1.5). */
function shareTempKey(app: AppContext, url: URL, reply: FastifyReply): void {
  const key = url.searchParams.get('temp_key') ?? '';
  if (!isValidTempKey(app, key)) return;
  const left = Math.floor(app.settings.get('tempory_share_token_expire_at') - app.clock.now() / 1000);
  reply.header('set-cookie', `temp_key=${encodeURIComponent(key)}; Path=/; Max-Age=${left}`);
}
