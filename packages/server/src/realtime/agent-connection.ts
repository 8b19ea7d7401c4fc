/** One live agent socket (v1 or v2), as the rest of the server may use it. */
export interface AgentConnection {
  /** unique per connection, so a replaced socket cannot unregister its successor */
  readonly id: number;
  readonly protocol: 1 | 2;
  /** sends one text frame; false when the socket is no longer open */
  send(text: string): boolean;
  close(code?: number, reason?: string): void;
}

let nextId = 1;
export function nextConnectionId(): number {
  return nextId++;
}
