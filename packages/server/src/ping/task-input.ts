import { serverMessages } from '@komari-ts/protocol/error-codes';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { PingTaskFields, PingTaskRow } from '../store/types.ts';
import { pingLimits, type PingType } from './limits.ts';
import { targetError } from './target.ts';

/** The task fields an admin sends (admin-api.md §4); unknown keys are ignored, as in Komari. */
export const taskFieldsSchema = z.object({
  name: z.string().optional(),
  target: z.string().optional(),
  type: z.string().optional(),
  interval: z.number().optional(),
  clients: z.array(z.string()).nullish(),
  default_on: z.boolean().optional(),
  /**
   * komari-ts: "every server, now and later": `clients` becomes every node there is and
   * `default_on` true. Komari has no such key; its UIs never send it.
   */
  all: z.boolean().optional(),
});
export type TaskFieldsInput = z.output<typeof taskFieldsSchema>;

/** admin:editPingTask: every listed task is overwritten whole; `weight` in it is ignored. */
export const editSchema = z.object({
  tasks: z.array(taskFieldsSchema.extend({ id: z.number().optional() }).nullable()).nullish(),
});

const bad = (message: string) => AppError.invalidParams(message);

function isPingType(t: string): t is PingType {
  return (pingLimits.types as readonly string[]).includes(t);
}

/** Komari's required-fields check first, with its text; interval 0 gets the range message below. */
function requireFields(p: TaskFieldsInput): { name: string; target: string; type: string; interval: number } {
  const name = p.name?.trim() ?? '';
  const target = p.target?.trim() ?? '';
  if (!name || !target || !p.type || p.interval === undefined) throw bad('name, target, type and interval are required');
  return { name, target, type: p.type, interval: p.interval };
}

function checkClients(clients: readonly string[], known: ReadonlySet<string>): string[] {
  const unique = [...new Set(clients)];
  const unknown = unique.filter((c) => !known.has(c));
  if (unknown.length > 0) throw bad(`unknown client: ${unknown.join(', ')}`);
  return unique;
}

/**
 * The servers a task runs on, checked in Komari's order (right after the required fields).
 * Komari refuses an add without servers unless `default_on`; but `default_on` alone reaches only
 * servers added later, so with servers present such a task runs nowhere today: an admin's add or
 * edit of one is refused unless `all` asks for every server (an import keeps what Komari had).
 * With no server at all, `default_on` already means every server, now and later.
 */
function taskClients(p: TaskFieldsInput, known: ReadonlySet<string>, from: TaskSource): { clients: string[]; defaultOn: boolean } {
  if (p.all === true && from === 'admin') return { clients: [...known], defaultOn: true };
  const clients = p.clients ?? [];
  const defaultOn = p.default_on ?? false;
  if (clients.length === 0 && !defaultOn) throw bad(serverMessages.pingClientsRequired);
  if (clients.length === 0 && known.size > 0 && from === 'admin') throw bad(serverMessages.pingNoServerToday);
  return { clients, defaultOn };
}

/** An admin saving a task, or a Komari database being imported. */
export type TaskSource = 'admin' | 'import';

/**
 * Validates one task's fields for add or edit; every failure is -32602 (400) with what is wrong,
 * before anything is written. `known` holds the uuids of existing nodes.
 */
export function taskFields(p: TaskFieldsInput, known: ReadonlySet<string>, from: TaskSource = 'admin'): PingTaskFields {
  const { name, target, type, interval } = requireFields(p);
  const { clients, defaultOn } = taskClients(p, known, from);
  if (!isPingType(type)) throw bad(`type must be one of ${pingLimits.types.join(', ')}`);
  if (name.length > pingLimits.maxNameLength) throw bad(`name must be at most ${pingLimits.maxNameLength} characters`);
  if (!Number.isInteger(interval) || interval < 1 || interval > pingLimits.maxIntervalSeconds) {
    throw bad(`interval must be a whole number of seconds from 1 to ${pingLimits.maxIntervalSeconds}`);
  }
  const targetWrong = targetError(type, target);
  if (targetWrong) throw bad(targetWrong);
  return { name, target, type, interval, clients: checkClients(clients, known), defaultOn };
}

/** A task id as JSON sends it: a positive integer. */
export function validTaskId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0;
}

/** The admin wire form (admin-api.md §4), keys in Komari's order. */
export function taskWire(t: PingTaskRow) {
  return { id: t.id, weight: t.weight, name: t.name, clients: t.clients, default_on: t.defaultOn, type: t.type, target: t.target, interval: t.interval };
}

/** `/api/task/ping` (public-api.md §6.13): the same without `target`. */
export function publicTaskWire(t: PingTaskRow) {
  return { id: t.id, weight: t.weight, name: t.name, clients: t.clients, default_on: t.defaultOn, type: t.type, interval: t.interval };
}
