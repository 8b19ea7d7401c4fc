// One POST through XMLHttpRequest, the only browser API that reports upload progress; answered
// like `apiSend` (Komari's envelope), so a refusal is the same ApiError whatever sent it.
import { readEnvelope } from './api.ts';

export interface ProgressPost {
  url: string;
  body: Blob | FormData;
  headers?: Record<string, string>;
  /** bytes of the payload itself: progress counts multipart framing too, never reported past this */
  size: number;
  onSent: (bytes: number) => void;
  signal: AbortSignal;
}

export function postWithProgress({ url, body, headers = {}, size, onSent, signal }: ProgressPost): Promise<void> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const abort = () => xhr.abort();
    signal.addEventListener('abort', abort, { once: true });
    const settle = (fn: () => unknown) => {
      signal.removeEventListener('abort', abort);
      void fn();
    };
    xhr.upload.onprogress = (e) => onSent(Math.min(e.loaded, size));
    xhr.onload = () => settle(() => readEnvelope(new Response(xhr.responseText, { status: xhr.status })).then(() => resolve(), reject));
    // fetch's shape for "the server could not be reached", which errorText knows
    xhr.onerror = () => settle(() => reject(new TypeError('network error')));
    xhr.onabort = () => settle(() => reject(signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError')));
    xhr.open('POST', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.send(body);
  });
}
