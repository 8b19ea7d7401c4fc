import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { fileURLToPath } from 'node:url';

/**
 * A TLS front for a plain-HTTP server, as a reverse proxy terminating https would be: each TLS
 * connection is piped to `targetPort` on 127.0.0.1. The certificate is the agent tests'
 * self-signed one (CN=localhost, IP 127.0.0.1): a client trusts it through `certificatePath`
 * (e.g. NODE_EXTRA_CA_CERTS) or skips verification.
 */
export async function startTlsFront(targetPort: number): Promise<{ port: number; certificatePath: string; close(): void }> {
  const fixtures = new URL('../../packages/agent/test/fixtures/tls/', import.meta.url);
  const certificate = new URL('cert.pem', fixtures);
  const server: Server = createServer({ cert: readFileSync(certificate), key: readFileSync(new URL('key.pem', fixtures)) }, (tlsSocket) => {
    const plain = connect(targetPort, '127.0.0.1');
    tlsSocket.pipe(plain).pipe(tlsSocket);
    tlsSocket.on('error', () => plain.destroy());
    plain.on('error', () => tlsSocket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, certificatePath: fileURLToPath(certificate), close: () => server.close() };
}
