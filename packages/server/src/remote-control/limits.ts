/** The numbers of remote control (issue 18), as data. */
export const remoteControlLimits = {
  /**
   * A passed 2FA check for the file manager holds for (user, node) this long since its last use:
   * TOTP codes are single use, and a file manager makes many calls per minute.
   */
  filesGrantIdleMs: 15 * 60_000,
  /** grants held at once; past this the least recently used goes (its user is asked again) */
  maxFilesGrants: 1024,
} as const;

export type RemoteControlLimits = { [K in keyof typeof remoteControlLimits]: number };
