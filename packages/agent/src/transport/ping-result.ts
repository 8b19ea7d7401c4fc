import type { WireSocket } from '../wire/websocket.ts';
import { paths } from './endpoints.ts';
import { errorText, type Logger } from './log.ts';
import { postPlain, postV2, type PostContext } from './rpc-post.ts';
import type { PingResult } from './runner.ts';
import { sendFrame } from './socket.ts';

export interface PingRoute {
  /** the open report socket, if any */
  socket: { ws: WireSocket; protocol: 1 | 2 } | undefined;
  /** the protocol in use when there is no socket */
  protocol: 1 | 2;
  post: PostContext;
  log: Logger;
  signal: AbortSignal;
}

const timeoutMs = 30_000;

/** The v1 POST body: the official agent's three keys, and our `probe_error` when there is one. */
function v1PostBody(r: PingResult): Record<string, unknown> {
  const body: Record<string, unknown> = { task_id: r.task_id, value: r.value, ping_type: r.ping_type };
  if (r.probe_error) body.probe_error = r.probe_error;
  return body;
}

/**
 * A ping result as the official agent sends it (agent-protocol.md §12): on the open socket
 * (v2 `agent.pingResult` notification, v1 `{"type":"ping_result",…}` frame), else by POST
 * (`agent.pingResult`, never counted as a protocol failure; v1 `/api/clients/ping/result`).
 * A probe that could not run adds `probe_error` (komari-ts; other servers ignore unknown keys).
 * Never rejects: a result that cannot be delivered is logged.
 */
export async function deliverPingResult(r: PingResult, route: PingRoute): Promise<void> {
  const { socket, post, log } = route;
  try {
    if (socket?.protocol === 2) return await sendFrame(socket.ws, { jsonrpc: '2.0', method: 'agent.pingResult', params: r });
    if (socket?.protocol === 1) return await sendFrame(socket.ws, { type: 'ping_result', ...r });
  } catch (err) {
    log.debug(`ping result not sent on the socket (${errorText(err)}); posting it`);
  }
  try {
    if (route.protocol === 2) await postV2(post, 'agent.pingResult', r, { timeoutMs, counted: false, signal: route.signal });
    else await postPlain(post, paths.pingResult, v1PostBody(r), timeoutMs, route.signal);
  } catch (err) {
    log.warn(`ping result for task ${r.task_id} lost: ${errorText(err)}`);
  }
}
