/** Bounds of the installed package's commands (deploy/package/launcher.ts, healthcheck.ts). */
export const packageLimits = {
  /** The oldest Node the server runs on (node:sqlite, type stripping in development): root package.json's engines. */
  minimumNode: { major: 24, minor: 7 },
  /** komari-healthcheck: how long GET /api/version may take before the server counts as unhealthy. */
  healthcheckTimeoutMs: 5000,
} as const;

/** Bounds of building the package (deploy/package/build.ts). */
export const buildLimits = {
  /** What `npm pack --json` may print: one entry per file, and the bundled dependencies are thousands. */
  npmOutputMaxBytes: 64 * 2 ** 20,
} as const;
