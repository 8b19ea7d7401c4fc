/**
 * Query parameters whose values are credentials: agent tokens (also sent as `Authorization`),
 * 2FA codes, OAuth codes and states, API keys, share-link keys (`temp_key`), file transfer and
 * preview tokens. Compared lower-case.
 */
const secretParams = new Set(['token', 'transfer_token', 'preview_token', '2fa_code', 'two_factor_code', 'otp', 'code', 'state', 'api_key', 'authorization', 'temp_key']);

/** A `key=value` pair after `?` or `&`, inside a URL or a log line quoting one (JSON-escaped). */
const queryPair = /([?&])([^=&#\s"'\\?]+)=([^&#\s"'\\]*)/g;

function isSecret(key: string): boolean {
  let name = key;
  try {
    name = decodeURIComponent(key);
  } catch {
    // a malformed escape: compare the raw key
  }
  return secretParams.has(name.toLowerCase());
}

/**
 * The text with the value of every secret query parameter replaced by `***`, wherever a URL sits
 * in it (a request URL, an error message, an agent's log line). Everything else is kept as is.
 */
export function redactSecrets(text: string): string {
  if (!text.includes('=')) return text;
  return text.replace(queryPair, (pair, sep: string, key: string) => (isSecret(key) ? `${sep}${key}=***` : pair));
}
