import { toBuffer } from 'qrcode';

/**
 * The key URI Komari's TOTP library builds: issuer "Komari Monitor", account name literally
 * "komari" (auth.md §6). Authenticator apps show the issuer and account from it.
 */
export function otpauthUrl(secret: string): string {
  return `otpauth://totp/Komari%20Monitor:komari?algorithm=SHA1&digits=6&issuer=Komari+Monitor&period=30&secret=${secret}`;
}

/**
 * The URI as a 250×250 PNG QR code, the size Komari serves. qrcode sizes the image as
 * floor(modules × (width / modules)), which float rounding can drop to 249 for some module
 * counts; asking for half a pixel more always floors to 250.
 */
export function otpauthQrPng(secret: string): Promise<Buffer> {
  return toBuffer(otpauthUrl(secret), { type: 'png', errorCorrectionLevel: 'M', width: 250.5 });
}
