import type { ImportKind } from '@komari-ts/protocol/import-report';
import { notifierOf } from '../../alerts/notifiers/index.ts';
import { oauthProviders } from '../../oauth/providers/index.ts';
import type { ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { jsonObject, sameJson, textOrEmpty } from './values.ts';

/** Bytes of one provider config: a real one is a few hundred (the email sender's is the largest). */
const maxAdditionBytes = 16 * 1024;

interface ProviderTable {
  kind: ImportKind;
  table: string;
  known(name: string): boolean;
  get(ctx: ImportContext, name: string): Promise<string | undefined>;
  set(ctx: ImportContext, name: string, addition: string): Promise<void>;
}

const senders: ProviderTable = {
  kind: 'messageSenders',
  table: 'message_sender_providers',
  known: (name) => notifierOf(name) !== undefined,
  get: async (ctx, name) => (await ctx.store.alerts.senderConfig(name))?.addition,
  set: (ctx, name, addition) => ctx.store.alerts.setSenderConfig({ name, addition }),
};

const oidc: ProviderTable = {
  kind: 'oauthProviders',
  table: 'oidc_providers',
  known: (name) => oauthProviders.some((p) => p.name === name),
  get: async (ctx, name) => (await ctx.store.oidcProviders.get(name))?.addition,
  set: (ctx, name, addition) => ctx.store.oidcProviders.set({ name, addition }),
};

/**
 * Message-sender and OAuth provider configs (admin-api.md §3.5). Komari writes a zero-valued row
 * for every provider at boot; those carry nothing and are passed over. A configured provider
 * komari-ts does not have (the Javascript sender, spec decision 7) is reported.
 */
export async function importProviders(ctx: ImportContext, settings: Record<string, unknown>): Promise<void> {
  const configs = new Map<string, Record<string, unknown>>();
  for (const table of [senders, oidc]) {
    configs.clear();
    for (const r of rowsOf(ctx.db, table.table)) {
      const name = textOrEmpty(r.name) ?? '';
      const addition = jsonObject(r.addition);
      if (!name) ctx.report.skip(table.kind, 'a row with an empty name');
      else if (!addition) ctx.report.skip(table.kind, 'its config is not a JSON object', name);
      else if (JSON.stringify(addition).length > maxAdditionBytes) ctx.report.skip(table.kind, `its config is over ${maxAdditionBytes} bytes`, name);
      else configs.set(name, addition);
    }
    if (table === senders) legacyTelegram(configs, settings);
    if (table === oidc) legacyGithub(configs, settings);
    for (const [name, addition] of configs) await place(ctx, table, name, addition);
  }
}

async function place(ctx: ImportContext, table: ProviderTable, name: string, addition: Record<string, unknown>): Promise<void> {
  if (isZero(addition)) return;
  if (!table.known(name)) {
    ctx.report.skip(table.kind, 'komari-ts has no provider of this name', name);
    return;
  }
  const current = await table.get(ctx, name);
  const currentValue = current === undefined ? undefined : safeParse(current);
  if (currentValue !== undefined && sameJson(currentValue, addition)) return ctx.report.present(table.kind);
  if (ctx.mode === 'merge' && currentValue !== undefined && !isZero(currentValue)) {
    return ctx.report.skip(table.kind, "kept this server's config", name);
  }
  await table.set(ctx, name, JSON.stringify(addition));
  ctx.report.count(table.kind);
}

/** Komari 0.0.x kept Telegram in settings (notifications.md §12); they fill the sender when it has no bot token. */
function legacyTelegram(configs: Map<string, Record<string, unknown>>, s: Record<string, unknown>): void {
  if (typeof s.telegram_bot_token !== 'string' || s.telegram_bot_token === '') return;
  const old = configs.get('telegram') ?? {};
  if (typeof old.bot_token === 'string' && old.bot_token !== '') return;
  const fields: Record<string, unknown> = { bot_token: s.telegram_bot_token };
  if (typeof s.telegram_chat_id === 'string') fields.chat_id = s.telegram_chat_id;
  if (typeof s.telegram_endpoint === 'string') fields.endpoint = s.telegram_endpoint;
  configs.set('telegram', { ...old, ...fields });
}

/** Komari 0.0.x's `o_auth_client_id`/`o_auth_client_secret` settings were GitHub's (admin-api.md §3.4). */
function legacyGithub(configs: Map<string, Record<string, unknown>>, s: Record<string, unknown>): void {
  if (typeof s.o_auth_client_id !== 'string' || s.o_auth_client_id === '') return;
  const old = configs.get('github') ?? {};
  if (typeof old.client_id === 'string' && old.client_id !== '') return;
  configs.set('github', { ...old, client_id: s.o_auth_client_id, client_secret: typeof s.o_auth_client_secret === 'string' ? s.o_auth_client_secret : '' });
}

function isZero(config: Record<string, unknown>): boolean {
  return Object.values(config).every((v) => v === '' || v === 0 || v === false || v === null);
}

function safeParse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
