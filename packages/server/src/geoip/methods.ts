import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';

export const geoipMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:testGeoip',
    summary: "The country of an address (the caller's when none is given), from the offline database",
    params: z.object({ ip: z.string().optional() }),
    positional: ['ip'],
    handler: async (p, { app, caller }) => {
      if (!app.geoip.enabled) throw AppError.invalidParams('GeoIP is not enabled in the configuration.');
      const ip = p.ip?.trim() || caller.meta.ip;
      let r;
      try {
        r = await app.geoip.lookup(ip);
      } catch (err) {
        throw AppError.internal(`GeoIP lookup failed: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (r.ok) return r.country;
      if (r.reason === 'invalid') throw AppError.invalidParams(`Invalid IP address: ${ip.slice(0, 64)}`);
      if (r.reason === 'reserved') throw AppError.invalidParams(`${ip} is a private or reserved address: it has no country`);
      throw AppError.internal(`No country found for ${ip}`);
    },
  }),
];
