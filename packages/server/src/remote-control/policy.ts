import type { SettingKey } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import type { RemoteKind, RemoteOverride } from './store/types.ts';

export const switchKeyOf: Record<RemoteKind, SettingKey> = {
  exec: 'remote_exec_enabled',
  terminal: 'remote_terminal_enabled',
  files: 'remote_files_enabled',
};

/** Where a refusal comes from: the node's own override, or the server-wide switch. */
export type OffBy = 'node' | 'server';

/** undefined = allowed. A node's override (true or false) beats the server-wide switch. */
export function offBy(app: AppContext, override: RemoteOverride, kind: RemoteKind): OffBy | undefined {
  const forced = override[kind];
  if (forced !== null) return forced ? undefined : 'node';
  return app.settings.get(switchKeyOf[kind]) ? undefined : 'server';
}

const subjects: Record<RemoteKind, string> = {
  exec: 'Remote exec is',
  terminal: 'The remote terminal is',
  files: 'Remote files are',
};

/** "Remote files are turned off for this server" / "... for every server". */
export function refusalMessage(kind: RemoteKind, by: OffBy): string {
  return `${subjects[kind]} turned off for ${by === 'node' ? 'this server' : 'every server'}`;
}
