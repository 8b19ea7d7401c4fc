import type { WireSocket } from '../wire/websocket.ts';
import { capabilitiesOf } from '../capabilities.ts';
import type { AgentConfig } from '../config.ts';
import type { Collector } from '../types.ts';
import { hostAddresses, type HostAddresses } from './addresses.ts';
import { BasicInfoUploader } from './basic-info.ts';
import { tokenOf } from './discovery.ts';
import { Endpoints, paths } from './endpoints.ts';
import { FailureCounter, ProtocolFailure, sleep } from './failures.ts';
import { HttpClient } from './http-client.ts';
import { errorText, type Logger } from './log.ts';
import { runPostMode } from './post-mode.ts';
import { deliverPingResult } from './ping-result.ts';
import type { PostContext } from './rpc-post.ts';
import { CommandRunner, type TaskHandlers } from './runner.ts';
import { dialOptionsOf, dialSocket, runSession } from './socket.ts';

export interface TransportOptions {
  config: AgentConfig;
  collector: Collector;
  handlers: TaskHandlers;
  log: Logger;
  /** where an auto-discovered uuid and token are kept; default `auto-discovery.json` beside the config file, or in the cwd */
  discoveryFile?: string;
  /** the basic-info IPs; default: --custom-ipv4/6, else this host's NICs */
  addresses?: () => HostAddresses;
}

/** Where the transport is: for logs and tests. */
export type TransportState = 'starting' | 'connecting' | 'socket-v2' | 'socket-v1' | 'post' | 'stopped';

type Next =
  | { state: 'connect'; protocol: 1 | 2 }
  | { state: 'active'; ws: WireSocket; protocol: 1 | 2 }
  | { state: 'post' }
  | { state: 'restart' };

interface Wired {
  post: PostContext;
  info: BasicInfoUploader;
  runner: CommandRunner;
}

/**
 * The agent's connection to the server, as the official agent runs it (agent-protocol.md §8):
 * `forever { upload basic info; connection loop }` plus a basic-info timer. The connection loop
 * dials the v2 socket (`--max-retries` + 1 attempts, `--reconnect-interval` apart), falls back to
 * v1 after three consecutive protocol failures, and to POST (report + long-poll, socket retried)
 * when the socket cannot be opened. Nothing the server sends or fails to send stops it.
 */
export class AgentTransport {
  readonly #o: TransportOptions;
  readonly #ac = new AbortController();
  readonly #http: HttpClient;
  #running: Promise<void> | undefined;
  #wired: Wired | undefined;
  #active: { ws: WireSocket; protocol: 1 | 2 } | undefined;
  #protocol: 1 | 2;
  #state: TransportState = 'starting';
  #uploading = false;

  constructor(o: TransportOptions) {
    this.#o = o;
    this.#protocol = o.config.protocolVersion;
    this.#http = new HttpClient(o.config.ignoreUnsafeCert, dialOptionsOf(o.config).family);
  }

  get state(): TransportState {
    return this.#state;
  }

  start(): void {
    this.#running ??= this.#supervise();
  }

  /** Closes the socket, ends POSTs in flight and timers; resolves when everything has stopped. */
  async stop(): Promise<void> {
    this.#ac.abort();
    await this.#running;
    this.#http.close();
    this.#state = 'stopped';
  }

  get #signal(): AbortSignal {
    return this.#ac.signal;
  }

  /** A bug in the loop must not end reporting: log it and start over after a pause. */
  async #supervise(): Promise<void> {
    while (!this.#signal.aborted) {
      try {
        await this.#run();
      } catch (err) {
        this.#o.log.error(`transport failed, starting over: ${errorText(err)}`);
        this.#active = undefined;
        await sleep(this.#o.config.reconnectInterval * 1000, this.#signal);
      }
    }
  }

  async #run(): Promise<void> {
    const token = await this.#token();
    if (token === undefined) return;
    this.#wired = this.#wire(token);
    const infoMs = this.#o.config.infoReportInterval * 60_000;
    const infoTimer = setInterval(() => void this.#uploadInfo(), infoMs);
    try {
      while (!this.#signal.aborted) {
        await this.#uploadInfo();
        await this.#connectionLoop();
      }
    } finally {
      clearInterval(infoTimer);
    }
  }

  #token(): Promise<string | undefined> {
    const { config, log, discoveryFile } = this.#o;
    return tokenOf(config, { http: this.#http, log, signal: this.#signal, file: discoveryFile });
  }

  #wire(token: string): Wired {
    const { config, collector, log, handlers } = this.#o;
    const post: PostContext = {
      http: this.#http,
      endpoints: new Endpoints(config.endpoint, token),
      gzip: !config.disableCompression,
      failures: new FailureCounter(),
    };
    const addresses = this.#o.addresses ?? (() => hostAddresses(config));
    const info = new BasicInfoUploader({ post, collector, addresses, log, signal: this.#signal });
    const runner = new CommandRunner({
      handlers,
      post,
      log,
      signal: this.#signal,
      maxRetries: config.maxRetries,
      sendPingResult: (r) =>
        deliverPingResult(r, { socket: this.#active, protocol: this.#protocol, post, log, signal: this.#signal }),
      protocol: () => this.#active?.protocol ?? this.#protocol,
    });
    return { post, info, runner };
  }

  /** One upload at a time: the protocol of the open socket, else the requested one. */
  async #uploadInfo(): Promise<void> {
    if (this.#uploading || !this.#wired || this.#signal.aborted) return;
    this.#uploading = true;
    try {
      await this.#wired.info.upload(this.#active?.protocol ?? this.#o.config.protocolVersion);
    } finally {
      this.#uploading = false;
    }
  }

  async #connectionLoop(): Promise<void> {
    let next: Next = { state: 'connect', protocol: this.#o.config.protocolVersion };
    while (!this.#signal.aborted && next.state !== 'restart') {
      if (next.state === 'connect') next = await this.#connect(next.protocol);
      else if (next.state === 'active') next = await this.#activeState(next.ws, next.protocol);
      else next = await this.#postState();
    }
  }

  #socketUrl(protocol: 1 | 2): string {
    return this.#wired!.post.endpoints.ws(protocol === 2 ? paths.v2 : paths.v1Report);
  }

  #dial(protocol: 1 | 2, signal: AbortSignal): Promise<WireSocket> {
    return dialSocket(this.#socketUrl(protocol), dialOptionsOf(this.#o.config), signal);
  }

  /** CONNECT: attempts `max-retries` + 1; protocol failure #3 on v2 switches to v1 at once. */
  async #connect(requested: 1 | 2): Promise<Next> {
    const { config, log } = this.#o;
    const failures = this.#wired!.post.failures;
    let protocol = requested;
    this.#state = 'connecting';
    for (let attempt = 0; attempt <= config.maxRetries; attempt++) {
      this.#protocol = protocol;
      try {
        return { state: 'active', ws: await this.#dial(protocol, this.#signal), protocol };
      } catch (err) {
        if (this.#signal.aborted) return { state: 'restart' };
        log.warn(`v${protocol} socket attempt ${attempt + 1}/${config.maxRetries + 1} failed: ${errorText(err)}`);
        if (protocol === 2 && err instanceof ProtocolFailure && failures.fail()) {
          log.warn('three consecutive protocol failures: falling back to protocol v1');
          failures.reset();
          protocol = 1;
          attempt = -1;
          continue;
        }
        await sleep(config.reconnectInterval * 1000, this.#signal);
      }
    }
    // komari-ts: with v2 requested, a refused v1 socket too leads to POST (a proxy that strips
    // Upgrade headers still passes POSTs); the official agent starts over here instead.
    if (protocol === 1 && config.protocolVersion === 1) return { state: 'restart' };
    return { state: 'post' };
  }

  /** ACTIVE: reports on the socket until it closes; then the next tick dials again. */
  async #activeState(ws: WireSocket, protocol: 1 | 2): Promise<Next> {
    const { config, collector, log } = this.#o;
    const { post, info, runner } = this.#wired!;
    this.#active = { ws, protocol };
    this.#state = protocol === 2 ? 'socket-v2' : 'socket-v1';
    if (protocol === 2) {
      post.failures.reset();
      info.v2Works();
    }
    log.info(`connected: protocol v${protocol} over WebSocket`);
    ws.once('close', (code: number) => {
      if (!this.#signal.aborted) log.warn(`the v${protocol} socket closed (${code}); reconnecting`);
    });
    if (info.pending) void this.#uploadInfo();
    const intervalMs = config.interval * 1000;
    await runSession({
      ws,
      protocol,
      intervalMs,
      collector,
      log,
      signal: this.#signal,
      onCommand: (c) => runner.run(c),
      capabilities: capabilitiesOf(config),
      onEvents: (events) => runner.takeEvents(events),
      acks: { pending: () => runner.pendingAcks(), acked: (ids) => runner.acked(ids) },
    });
    this.#active = undefined;
    post.failures.reset();
    this.#state = 'connecting';
    await sleep(intervalMs, this.#signal);
    return { state: 'connect', protocol: config.protocolVersion };
  }

  /** POST_FALLBACK: ends with the socket open, the v1 fallback due, or the agent stopping. */
  async #postState(): Promise<Next> {
    const { config, collector, log } = this.#o;
    const { post, runner } = this.#wired!;
    log.warn(`no WebSocket: reporting over POST, retrying the socket every ${config.reconnectInterval} s`);
    post.failures.reset();
    this.#state = 'post';
    this.#protocol = 2;
    const end = await runPostMode({
      post,
      collector,
      runner,
      log,
      signal: this.#signal,
      intervalMs: config.interval * 1000,
      reconnectMs: config.reconnectInterval * 1000,
      capabilities: capabilitiesOf(config),
      dialV2: (signal) => this.#dial(2, signal),
    });
    if (end.kind === 'socket') return { state: 'active', ws: end.ws, protocol: 2 };
    if (end.kind === 'v1') {
      log.warn('three consecutive protocol failures over POST: falling back to protocol v1');
      return { state: 'connect', protocol: 1 };
    }
    return { state: 'restart' };
  }
}
