// The providers in a fixed order (Komari's three, then OIDC), whatever order the server lists them.
export const knownProviders = ['github', 'generic', 'qq', 'oidc'] as const;

/** The server's providers, known ones first; the saved one is kept even if the server no longer lists it. */
export function providerOrder(listed: string[], current: string): string[] {
  const all = new Set([...listed, current]);
  const known = knownProviders.filter((p) => all.has(p));
  const others = [...all].filter((p) => !(knownProviders as readonly string[]).includes(p)).sort();
  return [...known, ...others];
}

/** A provider's name as the admin reads it ("GitHub", "OpenID Connect"); an unknown one as sent. */
export function providerLabel(i18n: { exists(key: string): boolean; t(key: string): string }, provider: string): string {
  const key = `admin-sso:providers.${provider}`;
  return i18n.exists(key) ? i18n.t(key) : provider;
}
