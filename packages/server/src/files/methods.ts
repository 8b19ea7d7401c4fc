import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid, type Caller } from '../rpc/caller.ts';
import { defineMethod, type CallContext, type MethodDef } from '../rpc/registry.ts';
import { checkFileAccess } from './access.ts';
import { callAgentFile } from './file-calls.ts';
import { checkMode, checkPath } from './paths.ts';

// Komari binds these params with gin: a decoding error reads "invalid request: <reason>".
const bindError = 'invalid request';
const str = z.string().optional();
const uuidOnly = z.object({ uuid: str });
const withPath = z.object({ uuid: str, path: str });
const twoPaths = z.object({ uuid: str, source: str, destination: str });

function required(value: string | undefined, message: string): string {
  if (value === undefined || value === '') throw AppError.invalidParams(message);
  return value;
}

function target(uuid: string | undefined): string {
  return required(uuid, 'uuid is required');
}

function path(app: AppContext, value: string | undefined, name = 'path'): string {
  return checkPath(required(value, `${name} is required`), app.limits.files.maxPathChars, name);
}

/**
 * Mutating calls are written to the audit log (komari-1.5.md §2.2: `file <op>: <uuid>:<path>`,
 * warn); reading a file's contents too (komari-ts), at info, as downloads are.
 */
async function audit(app: AppContext, caller: Caller, op: string, uuid: string, where: string, level: 'warn' | 'info' = 'warn'): Promise<void> {
  await app.audit.log(caller.meta.ip, actorUuid(caller), `file ${op}: ${uuid}:${where}`, level);
}

/** The `size` of a `read` result, for its audit line. */
function sizeOf(result: unknown): number {
  const size = result !== null && typeof result === 'object' ? (result as Record<string, unknown>).size : undefined;
  return typeof size === 'number' && Number.isFinite(size) ? size : 0;
}

/**
 * Params are checked first (they change nothing); then the access gate, then the op runs on the
 * agent, audited when it changes something.
 */
async function run(ctx: CallContext, parsed: unknown, uuid: string, op: string, args: Record<string, unknown>, auditAs?: string, timeoutMs?: number): Promise<unknown> {
  // the schema drops a `2fa_code` sent beside the params: the gate reads what was sent
  await checkFileAccess(ctx.app, uuid, ctx.caller, ctx.rawParams ?? parsed);
  const result = await callAgentFile(ctx.app, uuid, op, args, { timeoutMs });
  if (auditAs !== undefined) await audit(ctx.app, ctx.caller, op, uuid, auditAs);
  return result;
}

/** Komari's list order: directories first, then by name, case-insensitively. */
function sortEntries(result: unknown): unknown {
  if (!Array.isArray(result)) return result;
  const key = (e: unknown) => (e !== null && typeof e === 'object' ? (e as Record<string, unknown>) : {});
  return [...result].sort((a, b) => {
    const [ea, eb] = [key(a), key(b)];
    if (!!ea.is_dir !== !!eb.is_dir) return ea.is_dir ? -1 : 1;
    return String(ea.name ?? '').toLowerCase().localeCompare(String(eb.name ?? '').toLowerCase());
  });
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The `admin:file*` methods (komari-1.5.md §2.2), plus `read`/`write` of the editor (§2.3). */
export const fileMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:fileListRoots',
    summary: "The roots of an agent's filesystem (drives on Windows)",
    params: uuidOnly,
    bindError,
    handler: async (p, ctx) => run(ctx, p, target(p.uuid), 'list_roots', { path: '' }),
  }),
  defineMethod({
    name: 'admin:fileList',
    summary: 'The entries of a directory on an agent, directories first',
    params: withPath,
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      return sortEntries(await run(ctx, p, uuid, 'list', { path: path(ctx.app, p.path) }));
    },
  }),
  defineMethod({
    name: 'admin:fileStat',
    summary: 'One file or directory on an agent',
    params: withPath,
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      return run(ctx, p, uuid, 'stat', { path: path(ctx.app, p.path) });
    },
  }),
  defineMethod({
    name: 'admin:fileMkdir',
    summary: 'Create a directory (mode default 0755)',
    params: z.object({ uuid: str, path: str, mode: str }),
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      const where = path(ctx.app, p.path);
      const args: Record<string, unknown> = { path: where };
      if (p.mode !== undefined && p.mode !== '') args.mode = checkMode(p.mode);
      return run(ctx, p, uuid, 'mkdir', args, where);
    },
  }),
  defineMethod({
    name: 'admin:fileDelete',
    summary: 'Delete a file or a directory with its contents',
    params: withPath,
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      const where = path(ctx.app, p.path);
      return run(ctx, p, uuid, 'delete', { path: where }, where);
    },
  }),
  ...(['move', 'copy'] as const).map((op) =>
    defineMethod({
      name: op === 'move' ? 'admin:fileMove' : 'admin:fileCopy',
      summary: op === 'move' ? 'Move or rename a file or directory' : 'Copy a file or directory',
      params: twoPaths,
      bindError,
      handler: async (p, ctx) => {
        const uuid = target(p.uuid);
        if (!p.source || !p.destination) throw AppError.invalidParams('source and destination are required');
        const source = path(ctx.app, p.source, 'source');
        const destination = path(ctx.app, p.destination, 'destination');
        return run(ctx, p, uuid, op, { source, destination }, `${source} -> ${destination}`);
      },
    }),
  ),
  defineMethod({
    name: 'admin:fileChmod',
    summary: 'Change the mode of a file (octal string)',
    params: z.object({ uuid: str, path: str, mode: str }),
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      const where = path(ctx.app, p.path);
      const mode = checkMode(required(p.mode, 'mode is required'));
      return run(ctx, p, uuid, 'chmod', { path: where, mode }, where);
    },
  }),
  defineMethod({
    name: 'admin:fileChown',
    summary: 'Change the owner and/or group of a file (uid, gid, owner or group)',
    params: z.object({
      uuid: str,
      path: str,
      uid: z.number().int().min(-1).max(2 ** 32 - 1).optional(),
      gid: z.number().int().min(-1).max(2 ** 32 - 1).optional(),
      owner: z.string().max(256).optional(),
      group: z.string().max(256).optional(),
    }),
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      const where = path(ctx.app, p.path);
      if (p.uid === undefined && p.gid === undefined && !p.owner && !p.group) throw AppError.invalidParams('uid, gid, owner or group is required');
      const args: Record<string, unknown> = { path: where };
      for (const k of ['uid', 'gid', 'owner', 'group'] as const) if (p[k] !== undefined && p[k] !== '') args[k] = p[k];
      return run(ctx, p, uuid, 'chown', args, where);
    },
  }),
  defineMethod({
    name: 'admin:fileSearch',
    summary: 'Search names (or contents) under a directory; at most 500 matches',
    params: z.object({ uuid: str, path: str, query: str, content: z.boolean().optional() }),
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      const where = path(ctx.app, p.path);
      const query = required(p.query, 'query is required');
      const max = ctx.app.limits.files.maxQueryChars;
      if (query.length > max) throw AppError.invalidParams(`invalid request: query is longer than ${max} characters`);
      const args: Record<string, unknown> = { path: where, query };
      if (p.content) args.content = true;
      return run(ctx, p, uuid, 'search', args, undefined, ctx.app.limits.files.searchTimeoutMs);
    },
  }),
  defineMethod({
    name: 'admin:fileRead',
    summary: 'A file of at most 4 MiB as base64, for the editor',
    params: withPath,
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      const where = path(ctx.app, p.path);
      const result = await run(ctx, p, uuid, 'read', { path: where });
      await audit(ctx.app, ctx.caller, 'read', uuid, `${where} (${sizeOf(result)} bytes)`, 'info');
      return result;
    },
  }),
  // Over /api/rpc2 the whole call is one JSON body, bound by KOMARI_BODY_LIMIT (1 MiB by default):
  // base64 makes that ~750 KiB of file. The web editor saves through the upload route instead
  // (init/chunk/merge to the same path, committed atomically by the agent), up to the 4 MiB.
  defineMethod({
    name: 'admin:fileWrite',
    summary: 'Replace a file (at most 4 MiB, base64 data) atomically, for the editor',
    params: z.object({ uuid: str, path: str, data: z.string().optional() }),
    bindError,
    handler: async (p, ctx) => {
      const uuid = target(p.uuid);
      const where = path(ctx.app, p.path);
      if (p.data === undefined) throw AppError.invalidParams('data is required');
      const max = ctx.app.limits.files.editBytes;
      // Checked before decoding: a huge string is refused without allocating its bytes.
      if (p.data.length > Math.ceil(max / 3) * 4) throw AppError.invalidParams(`invalid request: data exceeds the ${max} byte edit limit`);
      if (p.data.length % 4 !== 0 || !base64.test(p.data)) throw AppError.invalidParams('invalid request: data must be base64');
      if (Buffer.byteLength(p.data, 'base64') > max) throw AppError.invalidParams(`invalid request: data exceeds the ${max} byte edit limit`);
      return run(ctx, p, uuid, 'write', { path: where, data: p.data }, `${where} (${Buffer.byteLength(p.data, 'base64')} bytes)`);
    },
  }),
];
