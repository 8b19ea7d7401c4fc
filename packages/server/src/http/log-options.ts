import type { FastifyRequest } from 'fastify';
import { chooseLogFormat, type LogFormat } from '../logging/log-format.ts';
import { prettyLine } from '../logging/pretty-line.ts';
import { redactSecrets } from './redact-url.ts';

type LogDestination = { write(line: string): unknown; isTTY?: boolean };

export interface LogSettings {
  level: string;
  /** KOMARI_LOG_FORMAT; unset: pretty when the destination is a terminal, JSON otherwise */
  format?: LogFormat;
  /** colours allowed (NO_COLOR unset); used only for pretty lines on a terminal */
  color: boolean;
}

/**
 * Keys whose values are credentials, cut wherever a handler logs an object holding them (at the
 * top or one level down): passwords, tokens, API keys, 2FA codes, OAuth secrets, cookies and
 * Authorization headers.
 */
const secretKeys = [
  'password', 'old_password', 'new_password', 'passwd', 'token', 'session_token', 'api_key', 'apiKey', 'secret',
  'client_secret', 'otp', 'totp', '2fa_code', 'two_factor_code', 'authorization', 'cookie', 'set-cookie',
];
const keyPath = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
export const redactPaths = [
  ...secretKeys.flatMap((k) => [keyPath(k).replace(/^\./, ''), `*${keyPath(k)}`]),
  'req.headers.authorization', 'req.headers.cookie',
];

/**
 * The request log's options. Credentials never reach it: a request is logged as method, URL, host
 * and peer (never headers, so no Authorization or Cookie), objects logged by mistake lose their
 * secret keys (`redactPaths`), and every line passes `redactSecrets` on its way out, once: the
 * URL's secret query values, and those of URLs inside error messages and the local agent's
 * stderr, become `***`. Pretty lines are made from the redacted JSON, so both formats hold the same.
 */
export function loggerOptions(settings: LogSettings, destination: LogDestination = process.stdout) {
  const tty = destination.isTTY === true;
  const pretty = chooseLogFormat(settings.format, tty) === 'pretty';
  const color = pretty && tty && settings.color;
  return {
    level: settings.level,
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
    redact: { paths: redactPaths, censor: '***' },
    stream: {
      write: pretty
        ? (line: string) => destination.write(prettyLine(redactSecrets(line), { color }))
        : (line: string) => destination.write(redactSecrets(line)),
    },
  };
}
