import { Buffer } from 'node:buffer';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { AppError, toAppError } from '../../errors.ts';
import { sendError } from '../../http/bind.ts';
import { jsonBody } from '../../http/json-body.ts';
import { actorUuid } from '../../rpc/caller.ts';
import { deeperThan } from '../../util/json-depth.ts';

const url = '/api/admin/theme/settings';
// The charset of a theme's short name (themes.md §2), `default` included. Komari takes any
// non-empty name here; a name no theme can have is refused instead of stored.
const shortPattern = /^[A-Za-z0-9_-]{1,100}$/;

function themeOf(request: FastifyRequest): string {
  const given = (request.query as Record<string, unknown>).theme;
  // `?theme=a&theme=b`: the first, as Komari's query reader takes it.
  const theme = Array.isArray(given) ? (given[0] as unknown) : given;
  if (typeof theme !== 'string' || theme === '') throw AppError.invalidParams('主题名称不能为空');
  if (!shortPattern.test(theme)) throw AppError.invalidParams('无效的主题名称');
  return theme;
}

function settingsOf(request: FastifyRequest, maxBytes: number, maxDepth: number): Record<string, unknown> {
  const body = jsonBody(request);
  if (!body.ok) throw AppError.invalidParams(`参数错误: ${body.error}`);
  if (body.empty) throw AppError.invalidParams('参数错误: EOF');
  const v = body.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw AppError.invalidParams('参数错误: the body must be a JSON object');
  if (deeperThan(v, maxDepth)) throw AppError.invalidParams(`参数错误: theme settings nest deeper than ${maxDepth} levels`);
  const bytes = Buffer.byteLength(JSON.stringify(v));
  if (bytes > maxBytes) throw AppError.invalidParams(`参数错误: theme settings are ${bytes} bytes, more than the ${maxBytes} allowed`);
  return v as Record<string, unknown>;
}

/**
 * A theme's saved settings (themes.md §8.7). POST replaces the whole object, stored as sent: no
 * merge, no check against the manifest, the theme need not exist. GET is a komari-ts addition
 * (themes.md §10 question 2): the saved object of any theme, unmerged, so the admin's form can
 * show what was saved for a theme that is not the active one. Admins only (the /api/admin gate).
 */
export function registerThemeSettingsRoutes(fastify: FastifyInstance, app: AppContext): void {
  fastify.post(url, async (request, reply) => {
    try {
      const theme = themeOf(request);
      const settings = settingsOf(request, app.limits.themeSettings.maxSettingsBytes, app.limits.themeSettings.maxSettingsDepth);
      await app.store.themeConfigs.set(theme, settings);
      await app.audit.log(request.caller.meta.ip, actorUuid(request.caller), `update theme settings: ${theme}`, 'info');
      return reply.send({ status: 'success', message: '' });
    } catch (err) {
      if (!(err instanceof AppError)) request.log.error({ err }, 'saving theme settings failed');
      return sendError(reply, toAppError(err));
    }
  });

  fastify.get(url, async (request, reply) => {
    try {
      const theme = themeOf(request);
      return reply.send({ status: 'success', message: '', data: (await app.store.themeConfigs.get(theme)) ?? {} });
    } catch (err) {
      if (!(err instanceof AppError)) request.log.error({ err }, 'reading theme settings failed');
      return sendError(reply, toAppError(err));
    }
  });
}
