/**
 * Pieces of an Apprise/Shoutrrr-style channel URL, percent-decoded. Each parser reads the parts it
 * needs and names the one that is missing, so a user pasting `tgram://token` learns that the chat
 * id is what to add.
 */
export function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new Error('the URL has a broken %-escape');
  }
}

/** The path's non-empty segments, decoded. */
export function pathParts(url: URL): string[] {
  return url.pathname.split('/').filter((s) => s !== '').map(decoded);
}

/** A part that must be there, or an Error naming it and the URL form. */
export function needed(value: string | undefined, what: string, form: string): string {
  if (value === undefined || value === '') throw new Error(`the ${what} is missing: ${form}`);
  return value;
}

/** `http` or `https` for a scheme pair such as `ntfy`/`ntfys` (the trailing `s` means TLS). */
export function webScheme(url: URL, plain: string): 'http' | 'https' {
  return url.protocol === `${plain}:` ? 'http' : 'https';
}

/** The host with its port, decoded (an opaque host keeps `%`-escapes). */
export function hostOf(url: URL): string {
  return decoded(url.host);
}
