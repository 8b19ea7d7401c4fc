import type { AddressInfo } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { logLimits } from './limits.ts';

/** The account a start created: its password only when the server made it up (never ADMIN_PASSWORD's). */
export interface FirstAdmin {
  username: string;
  generatedPassword?: string;
}

/** The banner's first line; tests wait for it as the sign that a start is complete. */
export const bannerTitle = 'komari-ts is ready';

const loopback4 = '127.0.0.1';

function hostPart(address: string, family: string | number): string {
  return family === 'IPv6' || family === 6 ? `[${address}]` : address;
}

/**
 * The addresses a person can open: KOMARI_PUBLIC_URL first, then the bound address; for a server
 * bound to every address, loopback and this host's network addresses (link-local IPv6 left out: a
 * browser cannot open it without a zone).
 */
export function bannerUrls(
  addr: AddressInfo,
  publicUrl: string,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
  maxNetworkUrls: number = logLimits.banner.maxNetworkUrls,
): string[] {
  const urls: string[] = publicUrl ? [publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`] : [];
  const at = (host: string) => `http://${host}:${addr.port}/`;
  const anyV4 = addr.address === '0.0.0.0';
  const anyV6 = addr.address === '::';
  if (!anyV4 && !anyV6) {
    urls.push(at(hostPart(addr.address, addr.family)));
  } else {
    urls.push(at(loopback4));
    const network = Object.values(interfaces)
      .flatMap((list) => list ?? [])
      .filter((i) => !i.internal && (i.family === 'IPv4' || (anyV6 && !i.address.toLowerCase().startsWith('fe80'))))
      .map((i) => at(hostPart(i.address, i.family)));
    urls.push(...network.slice(0, maxNetworkUrls));
  }
  return [...new Set(urls)];
}

/**
 * What a start prints on stdout once the server listens: where to open it and, after a first
 * start, the admin account; a password the server made up is printed here and nowhere else (the
 * sentence is Komari's, so what finds it in Komari's output finds it here).
 */
export function bannerText(urls: readonly string[], admin?: FirstAdmin): string {
  const [first = '', ...rest] = urls;
  const lines = ['', bannerTitle, `  Open    ${first}`, ...rest.map((u) => `          ${u}`), `  Admin   ${first}admin`];
  if (admin?.generatedPassword !== undefined) {
    lines.push(
      `Default admin account created. Username: ${admin.username} , Password: ${admin.generatedPassword}`,
      '  It is shown only this once: change it after logging in (or run `npm run komari -- chpasswd -p NEW`).',
    );
  } else if (admin) {
    lines.push(`Admin account created: ${admin.username}, with the password of ADMIN_PASSWORD.`);
  }
  lines.push('');
  return lines.join('\n');
}
