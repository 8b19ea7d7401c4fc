/**
 * Why a safe download stopped. `DownloadRefused`: the target itself is not allowed (scheme,
 * credentials, a private address, too many redirects); `DownloadFailed`: the transfer went wrong
 * (status, size, time, network). Both messages name no secret: URLs carrying credentials are
 * refused before anything is said about them.
 */
export class DownloadRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadRefused';
  }
}

export class DownloadFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadFailed';
  }
}
