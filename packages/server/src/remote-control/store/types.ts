/**
 * A node's remote control override (issue 18). Each kind is null (follow the server-wide switch
 * `remote_<kind>_enabled`), true (on for this node whatever the switch says) or false (off).
 * Every engine of the store implements `RemoteControlStore`; a node's override goes with the node.
 */

export const remoteKinds = ['exec', 'terminal', 'files'] as const;
export type RemoteKind = (typeof remoteKinds)[number];

export type RemoteOverride = Record<RemoteKind, boolean | null>;
export type RemoteOverridePatch = Partial<RemoteOverride>;

export const followServer: RemoteOverride = Object.freeze({ exec: null, terminal: null, files: null });

export interface RemoteControlStore {
  /** The node's override; every kind null when it has none. */
  get(uuid: string): Promise<RemoteOverride>;
  /** Every node that has an override other than "follow" for some kind. */
  all(): Promise<Map<string, RemoteOverride>>;
  /**
   * Sets the given kinds (others keep their value) and returns the result. The caller checks
   * that the node exists: an unknown uuid is refused by the store (a foreign key).
   */
  set(uuid: string, patch: RemoteOverridePatch): Promise<RemoteOverride>;
}
