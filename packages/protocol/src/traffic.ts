/**
 * Traffic counted against a node's `traffic_limit`, by its `traffic_limit_type` (Komari's five
 * rules; `max` is the default and any unknown value). No zod here: the web UI imports this file
 * by its own path (`@komari-ts/protocol/traffic`) and keeps zod out of its chunks.
 */
export function trafficUsed(type: string, up: number, down: number): number {
  switch (type) {
    case 'sum':
      return up + down;
    case 'min':
      return Math.min(up, down);
    case 'up':
      return up;
    case 'down':
      return down;
    default:
      return Math.max(up, down);
  }
}
