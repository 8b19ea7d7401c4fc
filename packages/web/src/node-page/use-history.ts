// History for one node and window, fetched again every minute so a page left open keeps up
// (the newest bucket is always partial). Each answer carries the window it is for: while a new
// range loads, the old answer stays on screen, and the page must not pass it off as the new one.
import { useEffect } from 'react';
import { apiGet } from '../lib/api.ts';
import { useAsync, type AsyncState } from '../lib/use-async.ts';
import type { LoadRecords, PingRecords } from './node-wire.ts';

const refreshMs = 60_000;

export interface History<T> {
  hours: number;
  body: T;
}

function useRefreshing<T>(route: string, uuid: string, hours: number): AsyncState<History<T>> {
  const path = `${route}?uuid=${encodeURIComponent(uuid)}&hours=${hours}`;
  const state = useAsync(async (signal) => ({ hours, body: await apiGet<T>(path, signal) }), [path]);
  const { reload } = state;
  useEffect(() => {
    const timer = setInterval(reload, refreshMs);
    return () => clearInterval(timer);
  }, [reload, path]);
  return state;
}

export function useLoadRecords(uuid: string, hours: number): AsyncState<History<LoadRecords>> {
  return useRefreshing<LoadRecords>('/api/records/load', uuid, hours);
}

export function usePingRecords(uuid: string, hours: number): AsyncState<History<PingRecords>> {
  return useRefreshing<PingRecords>('/api/records/ping', uuid, hours);
}

/** The window [now − hours, now] in Unix seconds, widened to the data if the clocks disagree. */
export function windowOf(hours: number, xs: readonly number[]): [number, number] {
  const end = Math.max(Math.floor(Date.now() / 1000), xs.at(-1) ?? 0);
  return [Math.min(end - hours * 3600, xs[0] ?? Infinity), end];
}
