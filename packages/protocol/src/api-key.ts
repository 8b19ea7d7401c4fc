/** Shortest API key accepted (komari-ts; Komari accepts 12). */
export const apiKeyMinLength = 32;
/** Estimated strength an API key needs, in bits. */
export const apiKeyMinBits = 128;

export const weakApiKeyMessage =
  `api_key must be at least ${apiKeyMinLength} random-looking visible ASCII characters ` +
  `(about ${apiKeyMinBits} bits: no repeats, sequences or repeated patterns, several character classes), or empty to turn the API key off`;

/**
 * A rough strength estimate: log2 of the alphabet the key's character classes span (lower 26,
 * upper 26, digits 10, others 32), times the characters that add something — a character does
 * not when it continues a run or a ±1 sequence ("aaa", "abc", "987") or when the three
 * characters ending at it appeared before (a repeated pattern). 32 random hex digits score
 * about 160, a UUID about 220, "Password1Password1…" about 50.
 */
export function apiKeyStrengthBits(key: string): number {
  const pool =
    (/[a-z]/.test(key) ? 26 : 0) + (/[A-Z]/.test(key) ? 26 : 0) + (/[0-9]/.test(key) ? 10 : 0) + (/[^a-zA-Z0-9]/.test(key) ? 32 : 0);
  if (pool === 0) return 0;
  const seen = new Set<string>();
  let adding = 0;
  for (let i = 0; i < key.length; i++) {
    const triple = key.slice(Math.max(0, i - 2), i + 1);
    const d1 = key.charCodeAt(i) - key.charCodeAt(i - 1);
    const d2 = key.charCodeAt(i - 1) - key.charCodeAt(i - 2);
    const patterned = i >= 2 && d1 === d2 && Math.abs(d1) <= 1;
    if (!patterned && !seen.has(triple)) adding++;
    seen.add(triple);
  }
  return adding * Math.log2(pool);
}

/** Whether `key` may be saved as `api_key` ('' turns the key off and is always allowed). */
export function isAcceptableApiKey(key: string): boolean {
  if (key === '') return true;
  return key.length >= apiKeyMinLength && /^[\x21-\x7e]+$/.test(key) && apiKeyStrengthBits(key) >= apiKeyMinBits;
}
