import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { readCookie } from '../http/cookies.ts';
import { isValidTempKey } from '../http/identity.ts';
import { isBuiltInUi } from './built-in-ui.ts';
import { renderIndex } from './index-page.ts';
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

function sendFile(reply: FastifyReply, path: string): FastifyReply {
  const size = statSync(path).size;
  return reply
    .type(mimeTypes[extname(path).toLowerCase()] ?? 'application/octet-stream')
    .header('content-length', size)
    .send(createReadStream(path));
}

/**
 * The web UI as Komari serves its themes (themes.md §4.2–4.4): `/favicon.ico`, `/themes/<id>/*`,
 * and every other unmatched GET answered from the active theme's `dist/` or with its index page,
 * which is what makes client-side routes (`/instance/<uuid>`, `/admin/...`) load.
 */
export function registerThemeRoutes(fastify: FastifyInstance, app: AppContext, files: ThemeFiles): void {
  fastify.get('/favicon.ico', (_request, reply) => {
    const found = files.lookup(app.settings.get('theme'), 'dist/favicon.ico');
    return found ? sendFile(reply, found) : reply.code(404).send();
  });

  fastify.get('/themes/:id/*', (request, reply) => {
    const { id, '*': rest } = request.params as { id: string; '*': string };
    const found = files.lookup(id, rest);
    return found ? sendFile(reply, found) : reply.code(404).send();
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
  const asset = path === '/' ? undefined : files.lookup(active, 'dist' + path);
  if (asset) return sendFile(reply, asset);

  // The admin panel and the terminal are always the default theme, without the site's text.
  const builtIn = isBuiltInUi(url.pathname);
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
