import { failureStatusOf } from '../errors.ts';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { jsonBody } from '../http/json-body.ts';
import { actorUuid } from '../rpc/caller.ts';
import { removeInstalledTheme } from './install/install-theme.ts';
import { listThemes } from './install/theme-list.ts';
import { defaultThemeRoot, installedThemesRoot } from './theme-paths.ts';

/** Komari's words for these endpoints (themes.md §8.3–§8.4). */
export const themeAdminMessages = {
  listFailed: (err: string) => `读取主题目录失败: ${err}`,
  badParams: (err: string) => `参数错误: ${err}`,
  defaultUndeletable: '默认主题不能删除',
  invalidName: '无效的主题名称',
  notFound: '主题不存在',
  deleteFailed: (err: string) => `删除主题失败: ${err}`,
  deleted: '主题删除成功',
  emptyName: '主题名称不能为空',
  setFailed: (err: string) => `更新主题设置失败: ${err}`,
  set: '主题设置成功',
} as const;

/** A short that may name a folder under `theme/` (Komari's charset check for set and delete). */
const validName = (short: string) => /^[A-Za-z0-9_-]+$/.test(short);

const failWith = (reply: FastifyReply, code: number, message: string) => reply.code(code).send({ status: 'error', message });

/**
 * `GET /api/admin/theme/list`, `GET /api/admin/theme/set?theme=`, `POST /api/admin/theme/delete`
 * (themes.md §8.1, §8.3, §8.4); the admin gate in front of `/api/admin` answers the 401.
 */
export function registerThemeAdminRoutes(fastify: FastifyInstance, app: AppContext): void {
  const installed = installedThemesRoot(app.config);

  fastify.get('/api/admin/theme/list', (_request, reply) => {
    try {
      return reply.send({ status: 'success', message: '', data: listThemes(defaultThemeRoot(app.config), installed, app.limits.themes.maxManifestBytes) });
    } catch (err) {
      return failWith(reply, 500, themeAdminMessages.listFailed((err as Error).message));
    }
  });

  fastify.get('/api/admin/theme/set', async (request, reply) => {
    const theme = (request.query as Record<string, unknown>).theme;
    const short = typeof theme === 'string' ? theme : '';
    if (short === '') return failWith(reply, 400, themeAdminMessages.emptyName);
    if (short !== 'default') {
      if (!validName(short)) return failWith(reply, 400, themeAdminMessages.invalidName);
      if (!isFile(join(installed, short, 'komari-theme.json'))) return failWith(reply, 404, themeAdminMessages.notFound);
    }
    try {
      await app.settings.update({ theme: short });
    } catch (err) {
      request.log.error({ err }, 'theme setting not saved');
      return failWith(reply, failureStatusOf(err), themeAdminMessages.setFailed((err as Error).message));
    }
    await audit(app, request, `set theme ${short}`);
    return reply.send({ status: 'success', message: themeAdminMessages.set, data: { theme: short } });
  });

  fastify.post('/api/admin/theme/delete', async (request, reply) => {
    const body = jsonBody(request);
    if (!body.ok) return failWith(reply, 400, themeAdminMessages.badParams(body.error));
    const value = body.value as { short?: unknown } | undefined;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return failWith(reply, 400, themeAdminMessages.badParams('the body must be a JSON object'));
    if (typeof value.short !== 'string' || value.short === '') return failWith(reply, 400, themeAdminMessages.badParams('short is required'));
    const short = value.short;
    if (short === 'default') return failWith(reply, 400, themeAdminMessages.defaultUndeletable);
    if (!validName(short)) return failWith(reply, 400, themeAdminMessages.invalidName);
    if (!existsSync(join(installed, short))) return failWith(reply, 404, themeAdminMessages.notFound);
    try {
      if (!(await removeInstalledTheme(app, short))) return failWith(reply, 404, themeAdminMessages.notFound);
    } catch (err) {
      request.log.error({ err }, 'theme not deleted');
      // The reason, without the server's paths.
      return failWith(reply, 500, themeAdminMessages.deleteFailed((err as NodeJS.ErrnoException).code ?? 'unknown error'));
    }
    await audit(app, request, `delete theme ${short}`);
    return reply.send({ status: 'success', message: themeAdminMessages.deleted });
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function audit(app: AppContext, request: FastifyRequest, message: string): Promise<void> {
  return app.audit.log(request.ip, actorUuid(request.caller), message, 'info');
}
