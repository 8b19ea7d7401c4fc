import { type AgentConfig, jsonNamesOf } from '../config.ts';

/** The keys whose values are credentials: never sent (komari-ts; Komari's agent sends them in clear). */
const secretKeys = ['token', 'auto_discovery_key'] as const;
export const REDACTED = '<redacted>';

/**
 * The answer to `agent.startupConfig` (komari-1.5.md §3.1): every effective setting, flat, under
 * the official agent's JSON names. An unset credential stays '' so the admin can tell it is unset.
 */
export function startupConfigOf(config: AgentConfig): Record<string, unknown> {
  const out = jsonNamesOf(config);
  for (const key of secretKeys) if (out[key] !== '') out[key] = REDACTED;
  return out;
}
