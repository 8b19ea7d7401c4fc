import type { BasicInfo, Report } from '@komari-ts/protocol';
import { loadAgentConfig } from '../../src/config.ts';
import { AgentTransport, type TransportOptions } from '../../src/transport/agent-transport.ts';
import type { Logger } from '../../src/transport/log.ts';
import type { FileContext, FileOperation, FileResult } from '../../src/tasks/files/manager.ts';
import type { TaskHandlers, TerminalRequest } from '../../src/transport/runner.ts';
import type { Collector } from '../../src/types.ts';

/** Figures no real host has, so a test can tell they came from this collector. */
export const fixedReport: Report = {
  cpu: { usage: 12.5 },
  ram: { total: 4_242_424_242, used: 1_111_111_111 },
  swap: { total: 0, used: 0 },
  load: { load1: 0.42, load5: 0.3, load15: 0.2 },
  disk: { total: 77_777_777_777, used: 7_777_777_777 },
  network: { up: 10, down: 20, totalUp: 1000, totalDown: 2000 },
  connections: { tcp: 7, udp: 3 },
  uptime: 4242,
  process: 77,
  message: '',
};

export const fixedInfo: BasicInfo = {
  cpu_name: 'Test CPU 9000',
  cpu_cores: 4,
  cpu_physical_cores: 2,
  arch: 'amd64',
  os: 'TestOS 1',
  kernel_version: '6.0.0-test',
  mem_total: 4_242_424_242,
  swap_total: 0,
  disk_total: 77_777_777_777,
  gpu_name: '',
  virtualization: 'none',
  version: '0.1.0-test',
};

/** A test-only Collector with fixed figures; counts what the transport asked for. */
export class FixedCollector implements Collector {
  reports = 0;
  infos = 0;

  report(): Promise<Report> {
    this.reports++;
    return Promise.resolve(structuredClone(fixedReport));
  }

  basicInfo(): Promise<BasicInfo> {
    this.infos++;
    return Promise.resolve({ ...fixedInfo });
  }
}

/** Handlers that record what the server asked for and answer at once. */
export class RecordingHandlers implements TaskHandlers {
  readonly execs: string[] = [];
  readonly pings: Array<[string, string]> = [];
  readonly terminals: TerminalRequest[] = [];

  exec(command: string) {
    this.execs.push(command);
    return Promise.resolve({ result: `ran ${command}`, exitCode: 0 });
  }

  ping(type: string, target: string) {
    this.pings.push([type, target]);
    return Promise.resolve({ value: 5 });
  }

  terminal(request: TerminalRequest) {
    this.terminals.push(request);
  }

  readonly files: FileOperation[] = [];
  readonly versions: string[] = [];

  /** echoes the op and its args back as the result */
  file(op: FileOperation, _ctx: FileContext): Promise<FileResult> {
    this.files.push(op);
    return Promise.resolve({ uuid: op.uuid, request_id: op.requestId, ok: true, result: { op: op.op, args: op.args } });
  }

  startupConfig() {
    return { interval: 1, token: '<redacted>' };
  }

  switchVersion(version: string) {
    this.versions.push(version);
  }
}

/** Log lines kept in memory (printed by a failing test's message when useful). */
export class MemoryLog implements Logger {
  readonly lines: string[] = [];
  debug(m: string) {
    this.lines.push(`debug ${m}`);
  }
  info(m: string) {
    this.lines.push(`info ${m}`);
  }
  warn(m: string) {
    this.lines.push(`warn ${m}`);
  }
  error(m: string) {
    this.lines.push(`error ${m}`);
  }
}

export interface TestAgent {
  transport: AgentTransport;
  collector: FixedCollector;
  handlers: RecordingHandlers;
  log: MemoryLog;
}

/**
 * The real agent transport with a fixed-figure collector, configured through the real flag
 * parser: `-i 1` and a fast `-c` so the fallbacks happen within a test's time. No token: `flags`
 * must carry `--auto-discovery`.
 */
export function startAgent(endpoint: string, token: string, flags: string[] = [], extra: Partial<TransportOptions> = {}): TestAgent {
  const config = loadAgentConfig(['-e', endpoint, ...(token ? ['-t', token] : []), '-i', '1', '-c', '0.2', ...flags], {});
  const collector = new FixedCollector();
  const handlers = new RecordingHandlers();
  const log = new MemoryLog();
  const addresses = () => ({ ipv4: '192.0.2.7', ipv6: '' });
  const transport = new AgentTransport({ config, collector, handlers, log, addresses, ...extra });
  transport.start();
  return { transport, collector, handlers, log };
}
