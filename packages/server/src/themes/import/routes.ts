import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { AppError, httpStatusOf, toAppError } from '../../errors.ts';
import type { DownloadedFile } from '../../http-client/safe-download.ts';
import { jsonBody } from '../../http/json-body.ts';
import { tooMany } from '../../http/too-many.ts';
import { actorUuid } from '../../rpc/caller.ts';
import { installThemeZip } from '../install/install-theme.ts';
import { readManifestFile } from '../install/theme-list.ts';
import { installedThemesRoot } from '../theme-paths.ts';
import { previewThemeZip } from './preview-package.ts';
import { downloadForImport, downloadForUpdate, themeDownloadsOf } from './theme-download.ts';

/** Komari's words for these endpoints (themes.md §8.5, §8.6). */
export const importMessages = {
  badParams: (err: string) => `参数错误: ${err}`,
  imported: '主题导入成功',
  importedReplacing: '主题导入成功（已覆盖同名主题）',
  updated: '主题更新成功',
  invalidName: '无效的主题名称',
  notFound: '主题不存在',
  unreadable: (err: string) => `读取主题配置失败: ${err}`,
  busy: 'too many theme downloads in progress, try again later',
} as const;

const failWith = (reply: FastifyReply, code: number, message: string) => reply.code(code).send({ status: 'error', message });

type Fields = Record<string, unknown>;

/** The body as an object whose named fields are strings when present, or the reason it is not. */
function bodyFields(request: FastifyRequest, names: readonly string[]): Fields | string {
  const body = jsonBody(request);
  if (!body.ok) return body.error;
  const v = body.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'the body must be a JSON object';
  for (const n of names) {
    const f = (v as Fields)[n];
    if (f !== undefined && f !== null && typeof f !== 'string') return `${n} must be a string`;
  }
  return v as Fields;
}

const text = (f: Fields, name: string): string => (typeof f[name] === 'string' ? f[name] : '');

/**
 * `POST /api/admin/theme/import[?preview=true]` and `POST /api/admin/theme/update` (themes.md
 * §8.5, §8.6): the package is downloaded by http-client/safe-download.ts into a temporary file
 * under the data folder, installed (or only checked) by the install module, and removed.
 */
export function registerThemeImportRoutes(fastify: FastifyInstance, app: AppContext): void {
  const downloads = themeDownloadsOf(app);
  const installed = installedThemesRoot(app.config);
  // Left-overs of downloads cut short by a stop.
  rmSync(downloads.dir, { recursive: true, force: true });
  let running = 0;

  /** Runs one download-and-install with its slot and its temporary file released after. */
  async function withPackage(request: FastifyRequest, reply: FastifyReply, get: () => Promise<DownloadedFile>, use: (path: string) => Promise<FastifyReply>): Promise<FastifyReply> {
    if (running >= app.limits.themeDownload.maxConcurrent) return tooMany(reply, 10, { message: importMessages.busy });
    running++;
    let file: DownloadedFile | undefined;
    try {
      file = await get();
      return await use(file.path);
    } catch (err) {
      const e = toAppError(err);
      const status = httpStatusOf(e.code);
      if (status < 500) return failWith(reply, status, e.message);
      // A file-system failure names the server's paths: logged, not answered.
      request.log.error({ err }, 'theme import failed');
      return failWith(reply, status, err instanceof AppError ? e.message : 'Internal server error');
    } finally {
      running--;
      if (file) rmSync(file.path, { force: true });
    }
  }

  fastify.post('/api/admin/theme/import', async (request, reply) => {
    const body = bodyFields(request, ['url']);
    if (typeof body === 'string') return failWith(reply, 400, importMessages.badParams(body));
    const url = text(body, 'url');
    if (url === '') return failWith(reply, 400, importMessages.badParams('url is required'));
    const preview = (request.query as Fields).preview === 'true';
    return withPackage(request, reply, () => downloadForImport(downloads, url), async (zip) => {
      if (preview) {
        const theme = await previewThemeZip(app, zip);
        return reply.send({ status: 'success', message: '', data: { theme, exists: isDir(join(installed, theme.short)) } });
      }
      const { manifest, replaced } = await installThemeZip(app, zip);
      await audit(app, request, `import theme ${manifest.short}`);
      return reply.send({ status: 'success', message: replaced ? importMessages.importedReplacing : importMessages.imported, data: manifest });
    });
  });

  fastify.post('/api/admin/theme/update', async (request, reply) => {
    const body = bodyFields(request, ['short', 'url', 'git_owner', 'git_repo']);
    if (typeof body === 'string') return failWith(reply, 400, importMessages.badParams(body));
    const short = text(body, 'short');
    if (short === '') return failWith(reply, 400, importMessages.badParams('short is required'));
    if (!/^[A-Za-z0-9_-]+$/.test(short)) return failWith(reply, 400, importMessages.invalidName);
    if (!isFile(join(installed, short, 'komari-theme.json'))) return failWith(reply, 404, importMessages.notFound);
    const current = readManifestFile(join(installed, short), app.limits.themes.maxManifestBytes);
    if (!current) return failWith(reply, 500, importMessages.unreadable('komari-theme.json is not a readable manifest'));
    const sources = { installedUrl: current.url, url: text(body, 'url'), gitOwner: text(body, 'git_owner'), gitRepo: text(body, 'git_repo') };
    return withPackage(request, reply, () => downloadForUpdate(downloads, sources), async (zip) => {
      const { manifest } = await installThemeZip(app, zip);
      await audit(app, request, `update theme ${short} (installed as ${manifest.short})`);
      return reply.send({ status: 'success', message: importMessages.updated, data: manifest });
    });
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function audit(app: AppContext, request: FastifyRequest, message: string): Promise<void> {
  return app.audit.log(request.ip, actorUuid(request.caller), message, 'info');
}

