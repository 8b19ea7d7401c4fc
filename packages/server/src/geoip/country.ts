/** A country as Komari's GeoIP answers it (admin-api.md §3.7): capitalised keys, sic. */
export interface Country {
  ISOCode: string;
  Name: string;
}

const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** `{"ISOCode":"US","Name":"United States"}` for a two-letter code; undefined for anything else. */
export function countryOf(code: unknown): Country | undefined {
  if (typeof code !== 'string' || !/^[A-Za-z]{2}$/.test(code)) return undefined;
  const iso = code.toUpperCase();
  let name = iso;
  try {
    name = names.of(iso) ?? iso;
  } catch {
    // A code Intl does not know keeps the code as its name.
  }
  return { ISOCode: iso, Name: name };
}

/** The flag emoji Komari stores as `region` (agent-protocol.md §4.2): `SG` → 🇸🇬. */
export function flagOf(iso: string): string {
  return String.fromCodePoint(...[...iso.toUpperCase()].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
