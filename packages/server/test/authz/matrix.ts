import { isDeepStrictEqual } from 'node:util';
import type { RouteRecord } from '../../src/http/route-table.ts';
import { callers, denials, restRoutes, rpcMethods, type CallerName, type DenialName, type Expectation } from './expectations.ts';

/** One answer, whatever the transport: an HTTP response, a refused or accepted upgrade, an RPC reply. */
export interface Answer {
  status: number;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RestCell {
  key: string;
  route: RouteRecord;
  caller: CallerName;
  expectation: Expectation;
  /** undefined = allowed */
  denial: DenialName | undefined;
}

export interface RpcCell {
  method: string;
  caller: CallerName;
  expectation: Expectation;
  denial: DenialName | undefined;
}

function restExpectation(route: RouteRecord, table = restRoutes): [string, Expectation] | undefined {
  for (const key of [`${route.method} ${route.url}`, `ANY ${route.url}`]) {
    const e = table[key];
    if (e) return [key, e];
  }
  return undefined;
}

/** undefined when the caller is let through, else how it is refused. */
export function denialFor(e: Expectation, caller: CallerName): DenialName | undefined {
  if (e.allow.includes(caller)) return undefined;
  return e.denyAs?.[caller] ?? e.deny;
}

/** Routes and methods of the running server that expectations.ts does not declare, as instructions. */
export function undeclared(routes: readonly RouteRecord[], methods: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of routes) {
    if (!restExpectation(r)) out.push(`route ${r.method} ${r.url} is not declared: add '${r.method} ${r.url}': <policy>, to restRoutes in test/authz/expectations.ts`);
  }
  for (const m of methods) {
    if (!Object.hasOwn(rpcMethods, m)) out.push(`RPC method ${m} is not declared: add '${m}': <policy>, to rpcMethods in test/authz/expectations.ts`);
  }
  return out;
}

/** Declarations that name no route or method of the server (renamed or removed). */
export function stale(routes: readonly RouteRecord[], methods: readonly string[]): string[] {
  const used = new Set(routes.map((r) => restExpectation(r)?.[0]));
  const known = new Set(methods);
  return [
    ...Object.keys(restRoutes).filter((k) => !used.has(k)).map((k) => `restRoutes['${k}'] names no route`),
    ...Object.keys(rpcMethods).filter((m) => !known.has(m)).map((m) => `rpcMethods['${m}'] names no method`),
  ];
}

const lastOnes = <T extends { expectation: Expectation }>(cells: T[]): T[] => [
  ...cells.filter((c) => !c.expectation.last),
  ...cells.filter((c) => c.expectation.last),
];

/** Every declared route × caller; cells marked `last` after the others. */
export function restCells(routes: readonly RouteRecord[]): RestCell[] {
  const cells: RestCell[] = [];
  for (const route of routes) {
    const found = restExpectation(route);
    if (!found) continue;
    const [key, expectation] = found;
    for (const caller of callers) cells.push({ key, route, caller, expectation, denial: denialFor(expectation, caller) });
  }
  return lastOnes(cells);
}

export function rpcCells(methods: readonly string[], only: readonly CallerName[] = callers): RpcCell[] {
  const cells: RpcCell[] = [];
  for (const method of methods) {
    const expectation = rpcMethods[method];
    if (!expectation) continue;
    for (const caller of only) cells.push({ method, caller, expectation, denial: denialFor(expectation, caller) });
  }
  return lastOnes(cells);
}

/** Whether an answer is exactly this refusal. */
export function isDenial(name: DenialName, a: Answer): boolean {
  const d = denials[name];
  if ('rpcError' in d) return isDeepStrictEqual(a.json?.error, d.rpcError);
  if (a.status !== d.status) return false;
  return 'json' in d ? isDeepStrictEqual(a.json, d.json) : a.text === d.text;
}

/** The refusal an answer is, if any; a bare 401 counts as one even when its body is unknown. */
export function refusalOf(a: Answer): string | undefined {
  const name = (Object.keys(denials) as DenialName[]).find((n) => isDenial(n, a));
  return name ?? (a.status === 401 ? 'an undeclared 401' : undefined);
}

export function describeDenial(name: DenialName): string {
  const d = denials[name];
  if ('rpcError' in d) return `denied ${d.rpcError.code} ${d.rpcError.message}`;
  if (!('json' in d)) return `denied ${d.status} ${d.text}`;
  const body = d.json as { message?: string; error?: { code: number; message: string } };
  return `denied ${d.status} ${body.message ?? `${body.error?.code} ${body.error?.message}`}`;
}

export function show(a: Answer): string {
  return `${a.status} ${a.text.slice(0, 300)}`;
}
