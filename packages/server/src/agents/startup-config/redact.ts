/** What replaces a credential's value in a startup configuration shown to an admin. */
export const redacted = '<redacted>';

/** Key names that hold a credential in an agent's configuration (token, auto_discovery_key, …). */
const credentialKey = /token|key|secret|password|auth|credential/i;

/**
 * The agent's configuration with every credential's value replaced, at any depth. Komari returns
 * the agent's token and auto-discovery key in clear (komari-1.5.md §3.1); komari-ts does not send
 * a secret back over the wire, whoever asks (as komari-agent-rs does on the agent side).
 */
export function redactConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactConfig);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = credentialKey.test(key) ? redacted : redactConfig(v);
  }
  return out;
}
