import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';

/**
 * The agent's settings, with the official agent's flag names, shorts, defaults, `AGENT_*`
 * variables and JSON keys (agent-protocol.md §14). Precedence, as in the official agent:
 * flags < environment < JSON config file (`--config`). Unknown flags and keys are ignored.
 */
type Kind = 'string' | 'boolean' | 'number';

interface Field {
  key: keyof AgentConfig;
  kind: Kind;
  flag?: string;
  short?: string;
  env?: string;
  json?: string;
}

const fields: Field[] = [
  { key: 'endpoint', kind: 'string', flag: 'endpoint', short: 'e', env: 'AGENT_ENDPOINT', json: 'endpoint' },
  { key: 'token', kind: 'string', flag: 'token', short: 't', env: 'AGENT_TOKEN', json: 'token' },
  { key: 'interval', kind: 'number', flag: 'interval', short: 'i', env: 'AGENT_INTERVAL', json: 'interval' },
  { key: 'protocolVersion', kind: 'number', flag: 'protocol-version', env: 'AGENT_PROTOCOL_VERSION', json: 'protocol_version' },
  { key: 'disableCompression', kind: 'boolean', flag: 'disable-compression', env: 'AGENT_DISABLE_COMPRESSION', json: 'disable_compression' },
  { key: 'maxRetries', kind: 'number', flag: 'max-retries', short: 'r', env: 'AGENT_MAX_RETRIES', json: 'max_retries' },
  { key: 'reconnectInterval', kind: 'number', flag: 'reconnect-interval', short: 'c', env: 'AGENT_RECONNECT_INTERVAL', json: 'reconnect_interval' },
  { key: 'infoReportInterval', kind: 'number', flag: 'info-report-interval', env: 'AGENT_INFO_REPORT_INTERVAL', json: 'info_report_interval' },
  { key: 'autoDiscoveryKey', kind: 'string', flag: 'auto-discovery', env: 'AGENT_AUTO_DISCOVERY_KEY', json: 'auto_discovery_key' },
  { key: 'disableWebSsh', kind: 'boolean', flag: 'disable-web-ssh', env: 'AGENT_DISABLE_WEB_SSH', json: 'disable_web_ssh' },
  { key: 'disableAutoUpdate', kind: 'boolean', flag: 'disable-auto-update', env: 'AGENT_DISABLE_AUTO_UPDATE', json: 'disable_auto_update' },
  { key: 'ignoreUnsafeCert', kind: 'boolean', flag: 'ignore-unsafe-cert', short: 'u', env: 'AGENT_IGNORE_UNSAFE_CERT', json: 'ignore_unsafe_cert' },
  { key: 'monthRotate', kind: 'number', flag: 'month-rotate', env: 'AGENT_MONTH_ROTATE', json: 'month_rotate' },
  { key: 'includeNics', kind: 'string', flag: 'include-nics', env: 'AGENT_INCLUDE_NICS', json: 'include_nics' },
  { key: 'excludeNics', kind: 'string', flag: 'exclude-nics', env: 'AGENT_EXCLUDE_NICS', json: 'exclude_nics' },
  { key: 'includeMountpoints', kind: 'string', flag: 'include-mountpoint', env: 'AGENT_INCLUDE_MOUNTPOINTS', json: 'include_mountpoints' },
  { key: 'memoryIncludeCache', kind: 'boolean', flag: 'memory-include-cache', env: 'AGENT_MEMORY_INCLUDE_CACHE', json: 'memory_include_cache' },
  { key: 'memoryExcludeBcf', kind: 'boolean', flag: 'memory-exclude-bcf', env: 'AGENT_MEMORY_REPORT_RAW_USED', json: 'memory_report_raw_used' },
  { key: 'enableGpu', kind: 'boolean', flag: 'gpu', env: 'AGENT_ENABLE_GPU', json: 'enable_gpu' },
  { key: 'customDns', kind: 'string', flag: 'custom-dns', env: 'AGENT_CUSTOM_DNS', json: 'custom_dns' },
  { key: 'customIpv4', kind: 'string', flag: 'custom-ipv4', env: 'AGENT_CUSTOM_IPV4', json: 'custom_ipv4' },
  { key: 'customIpv6', kind: 'string', flag: 'custom-ipv6', env: 'AGENT_CUSTOM_IPV6', json: 'custom_ipv6' },
  { key: 'getIpAddrFromNic', kind: 'boolean', flag: 'get-ip-addr-from-nic', env: 'AGENT_GET_IP_ADDR_FROM_NIC', json: 'get_ip_addr_from_nic' },
  { key: 'preferIpVersion', kind: 'string', flag: 'prefer-ip-version', env: 'AGENT_PREFER_IP_VERSION', json: 'prefer_ip_version' },
  { key: 'fileRoot', kind: 'string', flag: 'file-root', env: 'AGENT_FILE_ROOT', json: 'file_root' },
  { key: 'configFile', kind: 'string', flag: 'config', env: 'AGENT_CONFIG_FILE' },
  { key: 'hostProc', kind: 'string', env: 'HOST_PROC', json: 'host_proc' },
];

/** The agent's settings once read and checked. */
export interface AgentConfig {
  /** server base URL, without a trailing / */
  endpoint: string;
  token: string;
  /** report period in seconds; the official agent's effective minimum is 1 */
  interval: number;
  /** 0 or unset ⇒ 2, ≥ 2 ⇒ 2, 1 ⇒ 1 */
  protocolVersion: 1 | 2;
  disableCompression: boolean;
  maxRetries: number;
  /** seconds */
  reconnectInterval: number;
  /** minutes */
  infoReportInterval: number;
  autoDiscoveryKey: string;
  disableWebSsh: boolean;
  disableAutoUpdate: boolean;
  ignoreUnsafeCert: boolean;
  monthRotate: number;
  includeNics: string[];
  excludeNics: string[];
  includeMountpoints: string[];
  memoryIncludeCache: boolean;
  memoryExcludeBcf: boolean;
  enableGpu: boolean;
  customDns: string;
  customIpv4: string;
  customIpv6: string;
  getIpAddrFromNic: boolean;
  preferIpVersion: '' | '4' | '6';
  /** komari-ts: the file manager sees only this folder (absolute, resolved); '' = the whole filesystem */
  fileRoot: string;
  configFile: string;
  hostProc: string;
}

const defaults: Omit<AgentConfig, 'endpoint'> = {
  token: '',
  interval: 3,
  protocolVersion: 2,
  disableCompression: false,
  maxRetries: 3,
  reconnectInterval: 5,
  infoReportInterval: 5,
  autoDiscoveryKey: '',
  disableWebSsh: false,
  disableAutoUpdate: false,
  ignoreUnsafeCert: false,
  monthRotate: 0,
  includeNics: [],
  excludeNics: [],
  includeMountpoints: [],
  memoryIncludeCache: false,
  memoryExcludeBcf: false,
  enableGpu: false,
  customDns: '',
  customIpv4: '',
  customIpv6: '',
  getIpAddrFromNic: false,
  preferIpVersion: '',
  fileRoot: '',
  configFile: '',
  hostProc: '',
};

/**
 * What a value of the right kind must also be: the message when it is not. Checked by hand
 * rather than with zod, which costs the agent ~3.4 MiB of RSS (BENCHMARKS.md, Agent).
 */
const rules: Partial<Record<keyof AgentConfig, (v: never) => string | undefined>> = {
  endpoint: (s: string) =>
    s === '' ? 'is required, e.g. -e http://panel.example.com:25774'
    : /^https?:\/\/[^/]/i.test(s) && URL.canParse(s) ? undefined
    : 'must be an http(s) URL, e.g. http://panel.example.com:25774',
  interval: (v: number) => (v < 0 ? 'must be a number of seconds' : undefined),
  protocolVersion: (v: number) => (Number.isInteger(v) && v >= 0 ? undefined : 'must be 1 or 2'),
  maxRetries: (v: number) => (Number.isInteger(v) && v >= 0 ? undefined : 'must be a whole number, 0 or more'),
  reconnectInterval: (v: number) => (v > 0 ? undefined : 'must be a positive number of seconds'),
  infoReportInterval: (v: number) => (v > 0 ? undefined : 'must be a positive number of minutes'),
  monthRotate: (v: number) => (Number.isInteger(v) && v >= 0 && v <= 31 ? undefined : 'must be a day of the month'),
  customIpv4: (v: string) => (v === '' || isIPv4(v) ? undefined : 'must be an IPv4 address'),
  customIpv6: (v: string) => (v === '' || isIPv6(v) ? undefined : 'must be an IPv6 address'),
  preferIpVersion: (v: string) => (['', '4', '6'].includes(v) ? undefined : 'must be 4 or 6'),
};

const list = (sep: string) => (s: string) => s.split(sep).map((x) => x.trim()).filter(Boolean);

/** Checked values to their final form. */
const finish: Partial<Record<keyof AgentConfig, (v: never) => unknown>> = {
  // WHATWG URL turns an IDN host into punycode; the path stays as a prefix, without a trailing /
  endpoint: (s: string) => new URL(s).href.replace(/\/+$/, ''),
  interval: (v: number) => Math.max(1, v),
  protocolVersion: (v: number) => (v === 1 ? 1 : 2),
  includeNics: list(','),
  excludeNics: list(','),
  includeMountpoints: list(';'),
  // relative to the directory the agent was started in, once, so later ops cannot depend on it
  fileRoot: (s: string) => (s.trim() === '' ? '' : resolvePath(s.trim())),
};

/** A setting that cannot be used; the message names where it came from. */
export class ConfigError extends Error {}

/** Go's strconv.ParseBool, which the official agent uses for flags and variables. */
function parseBool(s: string): boolean | string {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(s)) return false;
  return s;
}

/** Text (flag or variable) to the field's type; what cannot be converted is left for `validate` to refuse. */
function coerce(kind: Kind, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (kind === 'boolean') return parseBool(v);
  if (kind === 'number') return v.trim() === '' ? v : Number(v);
  return v;
}

interface Source {
  value: unknown;
  from: string;
}

function fromFlags(argv: string[]): Map<string, Source> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const f of fields) {
    if (f.flag) options[f.flag] = { type: f.kind === 'boolean' ? 'boolean' : 'string', ...(f.short ? { short: f.short } : {}) };
  }
  const { values } = parseArgs({ args: argv, options, strict: false, allowPositionals: true });
  const out = new Map<string, Source>();
  for (const f of fields) {
    if (!f.flag) continue;
    const v = values[f.flag];
    if (v === undefined) continue;
    const from = `--${f.flag}`;
    // a bare boolean flag is `true`; a bare string/number flag has no value
    if (v === true && f.kind !== 'boolean') throw new ConfigError(`${from}: needs a value`);
    out.set(f.key, { value: coerce(f.kind, v), from });
  }
  return out;
}

function fromEnv(env: NodeJS.ProcessEnv, into: Map<string, Source>): void {
  for (const f of fields) {
    const v = f.env ? env[f.env] : undefined;
    if (v !== undefined && v !== '') into.set(f.key, { value: coerce(f.kind, v), from: `${f.env}` });
  }
}

function fromJson(path: string, readFile: (p: string) => string, into: Map<string, Source>): void {
  let data: unknown;
  try {
    data = JSON.parse(readFile(path));
  } catch (err) {
    throw new ConfigError(`config file ${path}: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ConfigError(`config file ${path}: must be a JSON object`);
  const obj = data as Record<string, unknown>;
  for (const f of fields) {
    if (f.json && Object.hasOwn(obj, f.json) && obj[f.json] !== null) {
      into.set(f.key, { value: coerce(f.kind, obj[f.json]), from: `"${f.json}" in ${path}` });
    }
  }
}

function hasKind(kind: Kind, v: unknown): boolean {
  return kind === 'number' ? typeof v === 'number' && !Number.isNaN(v) : typeof v === kind;
}

/** Validates the merged settings; a bad one throws a ConfigError naming its flag, variable or key. */
function validate(sources: Map<string, Source>): AgentConfig {
  const out: Record<string, unknown> = { ...defaults, endpoint: '' };
  const problems: string[] = [];
  for (const f of fields) {
    const source = sources.get(f.key);
    const key = f.key as keyof AgentConfig;
    const where = source?.from ?? (f.flag ? `--${f.flag}` : f.key);
    if (source && !hasKind(f.kind, source.value)) {
      problems.push(`${where}: must be a ${f.kind}`);
      continue;
    }
    const value = source ? source.value : out[key];
    const problem = rules[key]?.(value as never);
    if (problem) problems.push(`${where}: ${problem}`);
    else if (source) out[key] = finish[key] ? finish[key](value as never) : value;
  }
  if (problems.length) throw new ConfigError(`invalid agent configuration:\n  ${problems.join('\n  ')}`);
  const cfg = out as unknown as AgentConfig;
  if (!cfg.token && !cfg.autoDiscoveryKey) {
    throw new ConfigError('invalid agent configuration:\n  --token (AGENT_TOKEN): is required unless --auto-discovery is set');
  }
  return cfg;
}

/** Each setting under its JSON name (the official agent's), for `agent.startupConfig`. */
export function jsonNamesOf(config: AgentConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (!f.json) continue;
    const v = config[f.key];
    // lists go back to the text they were given as, so the object stays flat
    out[f.json] = Array.isArray(v) ? v.join(f.key === 'includeMountpoints' ? ';' : ',') : v;
  }
  return out;
}

/** Flags, then `AGENT_*` variables, then the JSON config file; throws ConfigError on a bad value. */
export function loadAgentConfig(
  argv: string[],
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): AgentConfig {
  const sources = fromFlags(argv);
  fromEnv(env, sources);
  const configFile = sources.get('configFile')?.value;
  if (typeof configFile === 'string' && configFile !== '') fromJson(configFile, readFile, sources);
  return validate(sources);
}

export const usage = `komari-agent (komari-ts): reports this host to a Komari-compatible server

Usage: komari-agent -e <server URL> -t <token> [flags]
       (from a checkout: node packages/agent/dist/komari-agent.cjs, or node packages/agent/src/main.ts)

  -e, --endpoint URL            server base URL (AGENT_ENDPOINT)
  -t, --token TOKEN             node token (AGENT_TOKEN)
  -i, --interval SECONDS        report interval, default 3, at least 1 (AGENT_INTERVAL)
      --protocol-version 1|2    default 2; falls back to 1 after 3 protocol failures
      --disable-compression     no permessage-deflate, no gzip POST bodies
  -r, --max-retries N           WebSocket attempts per cycle = N + 1, default 3
  -c, --reconnect-interval S    seconds between attempts, default 5
      --info-report-interval M  basic info every M minutes, default 5
      --auto-discovery KEY      register with the server's auto-discovery key when no token
      --disable-web-ssh         refuse the terminal, remote exec and the file manager
      --file-root DIR           the file manager sees only DIR (AGENT_FILE_ROOT; komari-ts)
  -u, --ignore-unsafe-cert      accept any TLS certificate
      --month-rotate DAY        traffic totals count from this day of each month
      --include-nics LIST       --exclude-nics LIST  (comma-separated, globs)
      --include-mountpoint LIST (semicolon-separated)
      --memory-include-cache    --memory-exclude-bcf
      --custom-ipv4 IP          --custom-ipv6 IP  (default: this host's NIC addresses)
      --prefer-ip-version 4|6   address family for connections to the server
      --config FILE             JSON config file; its keys win over flags and variables
  Accepted for compatibility, no effect here: --gpu, --custom-dns, --disable-auto-update,
  --get-ip-addr-from-nic (addresses always come from the NICs unless --custom-ipv4/6 is given).
  AGENT_LOG_LEVEL=debug|info|warn|error|silent sets the log on stderr (default info).
`;
