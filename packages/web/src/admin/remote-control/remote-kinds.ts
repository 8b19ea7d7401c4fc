// The remote control kinds and their server-wide settings (server: remote-control/policy.ts).
export const remoteKinds = ['exec', 'terminal', 'files'] as const;
export type RemoteKind = (typeof remoteKinds)[number];

export const remoteSwitchKeys = ['remote_exec_enabled', 'remote_terminal_enabled', 'remote_files_enabled'] as const;
export type RemoteSwitchKey = (typeof remoteSwitchKeys)[number];

/** A node's override: null follows the server-wide switch. */
export type RemoteOverride = Record<RemoteKind, boolean | null>;

/**
 * What the admin node wire adds to Komari's fields; both optional, so a server without them (or a
 * branch before capabilities exist) still type-checks and renders.
 */
export interface RemoteNodeFields {
  remote_control?: RemoteOverride;
  /** what the agent reported it can do; null = never reported */
  capabilities?: string[] | null;
}

export const followServer: RemoteOverride = { exec: null, terminal: null, files: null };

export type OverrideChoice = 'follow' | 'on' | 'off';

export function choiceOf(v: boolean | null | undefined): OverrideChoice {
  return v === true ? 'on' : v === false ? 'off' : 'follow';
}

export function valueOf(c: OverrideChoice): boolean | null {
  return c === 'on' ? true : c === 'off' ? false : null;
}

/** Only the kinds the admin changed, or undefined when none changed. */
export function overridePatch(before: RemoteOverride, after: RemoteOverride): Partial<RemoteOverride> | undefined {
  const patch: Partial<RemoteOverride> = {};
  for (const k of remoteKinds) if (before[k] !== after[k]) patch[k] = after[k];
  return Object.keys(patch).length > 0 ? patch : undefined;
}
