// The GeoIP lookup test (admin-api.md §3.7): which country the server's GeoIP places an address in.
import { apiGet } from '../../lib/api.ts';

/** Komari's capitalised keys (sic). */
export interface GeoipAnswer {
  ISOCode: string;
  Name: string;
}

/** The server's refusal when lookups are off, matched to say it in the admin's language. */
export const disabledMessage = 'GeoIP is not enabled in the configuration.';

/** An empty `ip` asks about the address the request comes from. */
export function testGeoip(ip: string): Promise<GeoipAnswer> {
  const query = ip ? `?ip=${encodeURIComponent(ip)}` : '';
  return apiGet<GeoipAnswer>(`/api/admin/test/geoip${query}`);
}
