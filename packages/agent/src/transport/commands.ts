/**
 * Commands from the server, in either form (agent-protocol.md §6.7, §7.4; komari-1.5.md §1.3):
 * v2 JSON-RPC notifications `agent.exec` / `agent.ping` / `agent.terminal.request` / `agent.file`
 * / `agent.startupConfig` / `agent.switchVersion` (also as queued events from `agent.report` and
 * `agent.pull`), and the v1 frames, which Komari 1.4 also sends on v2 sockets (always for the
 * terminal; 1.5 sends `agent.terminal.request` instead). Anything else (replies, error frames,
 * garbage) is no command.
 */
export type Command =
  | { kind: 'exec'; taskId: string; command: string }
  | { kind: 'ping'; taskId: number; type: string; target: string }
  | { kind: 'terminal'; requestId: string }
  | { kind: 'file'; uuid: string; requestId: string; op: string; args: Record<string, unknown>; data?: unknown }
  | { kind: 'startupConfig'; requestId: string }
  | { kind: 'switchVersion'; version: string };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exec(p: Obj): Command | undefined {
  if (typeof p.task_id !== 'string' || p.task_id === '') return undefined;
  return { kind: 'exec', taskId: p.task_id, command: typeof p.command === 'string' ? p.command : '' };
}

function ping(p: Obj): Command | undefined {
  if (typeof p.ping_task_id !== 'number' || !Number.isInteger(p.ping_task_id)) return undefined;
  if (typeof p.ping_target !== 'string') return undefined;
  return { kind: 'ping', taskId: p.ping_task_id, type: typeof p.ping_type === 'string' ? p.ping_type : 'icmp', target: p.ping_target };
}

function terminal(p: Obj): Command | undefined {
  if (typeof p.request_id !== 'string' || p.request_id === '') return undefined;
  return { kind: 'terminal', requestId: p.request_id };
}

/** `agent.file`: without a request id no answer could be matched, so it is no command. */
function file(p: Obj): Command | undefined {
  if (typeof p.request_id !== 'string' || p.request_id === '' || p.request_id.length > 128) return undefined;
  return {
    kind: 'file',
    uuid: typeof p.uuid === 'string' ? p.uuid : '',
    requestId: p.request_id,
    op: typeof p.op === 'string' ? p.op : '',
    args: isObj(p.args) ? p.args : {},
    ...(p.data !== undefined ? { data: p.data } : {}),
  };
}

function startupConfig(p: Obj): Command | undefined {
  if (typeof p.request_id !== 'string' || p.request_id === '' || p.request_id.length > 128) return undefined;
  return { kind: 'startupConfig', requestId: p.request_id };
}

function switchVersion(p: Obj): Command | undefined {
  return { kind: 'switchVersion', version: typeof p.version === 'string' ? p.version : '' };
}

/** A v2 method with its params (a socket notification or a queued event). */
export function commandOfCall(method: unknown, params: unknown): Command | undefined {
  if (!isObj(params)) return undefined;
  if (method === 'agent.exec') return exec(params);
  if (method === 'agent.ping') return ping(params);
  if (method === 'agent.terminal.request') return terminal(params);
  if (method === 'agent.file') return file(params);
  if (method === 'agent.startupConfig') return startupConfig(params);
  if (method === 'agent.switchVersion') return switchVersion(params);
  return undefined;
}

/** The official agent's classifier for frames without `jsonrpc`: terminal, then exec, then ping. */
function commandOfV1(f: Obj): Command | undefined {
  if (f.message === 'terminal' || 'request_id' in f) return terminal(f);
  if (f.message === 'exec') return exec(f);
  if (f.message === 'ping' || 'ping_task_id' in f || 'ping_type' in f || 'ping_target' in f) return ping(f);
  return undefined;
}

/** One text frame from the server socket. */
export function commandOfFrame(text: string): Command | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(frame)) return undefined;
  if ('jsonrpc' in frame) return commandOfCall(frame.method, frame.params);
  return commandOfV1(frame);
}

export interface QueuedEvent {
  id: string;
  command: Command | undefined;
}

/**
 * The events of a reply frame on the socket (the answer to the `agent.pull` sent when it opens);
 * undefined for any other frame.
 */
export function eventsOfFrame(text: string): QueuedEvent[] | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObj(frame) || frame.jsonrpc !== '2.0' || !('id' in frame) || !('result' in frame)) return undefined;
  return eventsOf(frame.result);
}

/** The `events` of an `agent.report` / `agent.pull` result (§7.5): each with its id, for the ack. */
export function eventsOf(result: unknown): QueuedEvent[] {
  if (!isObj(result) || !Array.isArray(result.events)) return [];
  const out: QueuedEvent[] = [];
  for (const e of result.events) {
    if (isObj(e) && typeof e.id === 'string') out.push({ id: e.id, command: commandOfCall(e.method, e.params) });
  }
  return out;
}
