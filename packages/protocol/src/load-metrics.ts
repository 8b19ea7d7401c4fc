/**
 * Komari's load-rule metrics; `temp` and unknown ones are accepted and never fire, as in Komari.
 * No zod here: the admin UI imports this file by its own path (`@komari-ts/protocol/load-metrics`).
 */
export const loadMetrics = ['cpu', 'gpu', 'ram', 'swap', 'disk', 'load', 'net_in', 'net_out'] as const;
