import type { FastifyRequest } from 'fastify';
import { redactSecrets } from './redact-url.ts';

type LogDestination = { write(line: string): unknown };

/**
 * The request log's options. Credentials never reach it: a request is logged as method, URL, host
 * and peer (never headers, so no Authorization or Cookie), and every line passes `redactSecrets`
 * on its way out, once: the URL's secret query values, and those of URLs inside error messages and
 * the local agent's stderr, become `***`.
 */
export function loggerOptions(level: string, destination: LogDestination = process.stdout) {
  return {
    level,
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        // redacted with the whole line below
        url: request.url,
        host: request.host,
        remoteAddress: request.ip,
        remotePort: request.socket?.remotePort,
      }),
    },
    // Objects a handler logs by mistake: their credential headers are cut as well.
    redact: { paths: ['headers.authorization', 'headers.cookie', 'req.headers.authorization', 'req.headers.cookie'], censor: '***' },
    stream: { write: (line: string) => destination.write(redactSecrets(line)) },
  };
}
