import type { WebSocket } from 'ws';
import { closeSocket, fromAgent, sendFrame, type RelayFrame } from './frames.ts';

/** What happens on the agent's side of a session. */
export interface AgentEvents {
  frame(frame: RelayFrame): void;
  closed(): void;
  error(err: unknown): void;
}

/**
 * The agent's side of a web terminal: its socket here, or a socket on another replica reached
 * through the cluster (cluster/terminal-relay.ts). The session treats both alike.
 */
export interface AgentEnd {
  listen(events: AgentEvents): void;
  /** dropped once the other side is gone, like a frame to a closed socket */
  send(frame: RelayFrame): void;
  /** a close after whatever is queued */
  close(reason: string): void;
}

/** The agent's socket on this replica. */
export function socketAgentEnd(socket: WebSocket): AgentEnd {
  return {
    listen(events) {
      socket.on('error', (err) => events.error(err));
      socket.on('message', (data) => events.frame(fromAgent(data)));
      socket.on('close', () => events.closed());
    },
    send: (frame) => sendFrame(socket, frame),
    close: (reason) => closeSocket(socket, 1000, reason),
  };
}
