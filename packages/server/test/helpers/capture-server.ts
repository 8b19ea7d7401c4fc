import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in service received it. */
export interface CapturedRequest {
  method: string;
  /** path and query, exactly as sent */
  rawUrl: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

export type CaptureHandler = (req: CapturedRequest, res: ServerResponse) => void;

export interface CaptureServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  seen: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for a chat service (127.0.0.1, port 0): it records each request
 * and lets the test answer the way the real service does. A handler that never answers makes a
 * service that hangs; `close` drops such connections.
 */
export async function startCaptureServer(handler: CaptureHandler): Promise<CaptureServer> {
  const seen: CapturedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = req.url ?? '/';
      const r: CapturedRequest = { method: req.method ?? '', rawUrl: raw, url: new URL(raw, 'http://x'), headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(r);
      try {
        handler(r, res);
      } catch (err) {
        // A failed check in the handler answers 599 with its message: the send fails and says why.
        res.writeHead(599, { 'content-type': 'text/plain' }).end(`stand-in refused: ${(err as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
