import type { Report } from '@komari-ts/protocol';
import type { AppContext } from '../../app-context.ts';
import { saveBasicInfo } from '../basic-info.ts';
import { ingestReport, parseReport, ReportShapeError } from '../ingest.ts';
import { pingResultSchema, savePingResult } from '../../ping/results.ts';
import { formatZodError } from '../../rpc/bind-params.ts';
import { parseTaskResult, saveTaskResult } from '../../exec/task-result.ts';
import { V2Code, V2Failure, v2Error, v2Result, type V2Request, type V2Response } from './envelope.ts';
import { cutUtf8 } from '../../util/utf8-cut.ts';
import { acceptFileResult } from '../../files/result-method.ts';
import { ackIds, checkString, checkStringList, errorText, invalidParams, paramsObject } from './params.ts';

/** Who is calling and over what: POST refreshes presence and may long-poll; a socket never does. */
export interface V2Call {
  app: AppContext;
  uuid: string;
  transport: 'post' | 'ws';
  /** ends a long-poll early when the POST client goes away */
  signal?: AbortSignal;
}

type Method = (call: V2Call, params: unknown) => Promise<unknown>;

function reportOf(raw: unknown, message: string): Report {
  try {
    return parseReport(raw);
  } catch (err) {
    if (err instanceof ReportShapeError) throw invalidParams(message, err.message);
    throw err;
  }
}

/**
 * agent.report: ingest first; only a stored report applies the acks and returns the oldest
 * pending events, which stay queued until acked. Over the socket the report does not refresh
 * presence: the socket alone keeps the node online (komari-ts decision; Komari keeps a v2 socket's
 * node online up to 35 s after the socket ends).
 */
async function report(call: V2Call, params: unknown): Promise<unknown> {
  const message = 'invalid report params';
  const p = paramsObject(params, message);
  const parsed = reportOf(p.report, message);
  const acks = ackIds(p.ack_event_ids, message);
  try {
    ingestReport(call.app, call.uuid, parsed, { presence: call.transport === 'post', protocol: 2 });
  } catch (err) {
    throw new V2Failure(V2Code.SaveFailed, 'failed to save report', errorText(err));
  }
  call.app.events.ack(call.uuid, acks);
  return { status: 'success', events: call.app.events.peek(call.uuid, call.app.limits.agents.reportEvents) };
}

/** agent.basicInfo: missing `info` is `{}`; v2 passes no fallback IP (agent-protocol.md §4.2). */
async function basicInfo(call: V2Call, params: unknown): Promise<unknown> {
  const message = 'invalid basic info params';
  const info = paramsObject(params, message).info ?? {};
  if (typeof info !== 'object' || Array.isArray(info)) throw invalidParams(message, 'info must be a JSON object');
  try {
    await saveBasicInfo(call.app, call.uuid, info);
  } catch (err) {
    throw new V2Failure(V2Code.SaveFailed, 'failed to save basic info', errorText(err));
  }
  return { status: 'success' };
}

/** agent.pull (§7.6): acks, then pending events at once, else a long-poll on POST only. */
async function pull(call: V2Call, params: unknown): Promise<unknown> {
  const message = 'invalid pull params';
  const p = paramsObject(params, message);
  checkStringList(p.capabilities, 'capabilities', message);
  checkString(p.last_event_id, 'last_event_id', message);
  const acks = ackIds(p.ack_event_ids, message);
  const { app, uuid } = call;
  app.live.markProtocol(uuid, 2);
  if (call.transport === 'post') app.live.touchPresence(uuid);
  app.events.ack(uuid, acks);
  let events = app.events.peek(uuid, app.limits.agents.pullEvents);
  if (events.length === 0 && call.transport === 'post' && !call.signal?.aborted) {
    await app.events.waitFor(uuid, app.limits.agents.pullHoldMs, call.signal);
    events = app.events.peek(uuid, app.limits.agents.pullEvents);
  }
  return { events };
}

/** An event's member as log text, cut like a report's texts (`data` as its JSON, however deep). */
function loggable(value: unknown, maxBytes: number): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  } catch {
    text = '(not printable: nested too deeply)';
  }
  return cutUtf8(text, maxBytes);
}

/**
 * agent.event: documented but not handled by Komari; logged and acknowledged (§7.3
 * recommendation). Cut to the report text limit: 1 MiB events wrote 60 MiB of log a second.
 */
async function event(call: V2Call, params: unknown): Promise<unknown> {
  const p = paramsObject(params, 'invalid event params');
  const max = call.app.limits.report.maxTextBytes;
  call.app.log.info({ uuid: call.uuid, type: loggable(p.type, max), data: loggable(p.data, max) }, 'agent event');
  return { status: 'success' };
}

/**
 * agent.taskResult: documented, not handled by Komari (decision 3: accepted here); stored like
 * `POST /api/clients/task/result`, with the server's time as the finish time.
 */
async function taskResult(call: V2Call, params: unknown): Promise<unknown> {
  const message = 'invalid task result params';
  const parsed = parseTaskResult(paramsObject(params, message));
  if (!parsed.ok) throw invalidParams(message, parsed.error);
  try {
    await saveTaskResult(call.app, call.uuid, parsed.value);
  } catch (err) {
    throw new V2Failure(V2Code.SaveFailed, 'failed to save task result', errorText(err));
  }
  return { status: 'success' };
}

/**
 * agent.pingResult (§7.3, §12): `task_id` and `value` integers, `ping_type` a string if present;
 * `finished_at` is accepted in any form and ignored (Komari refuses a numeric one; the spec
 * recommends accepting it). Stored with the server's receive time.
 */
async function pingResult(call: V2Call, params: unknown): Promise<unknown> {
  const message = 'invalid ping result params';
  const parsed = pingResultSchema.safeParse(paramsObject(params, message));
  if (!parsed.success) throw invalidParams(message, formatZodError(parsed.error));
  try {
    savePingResult(call.app, call.uuid, parsed.data);
  } catch (err) {
    throw new V2Failure(V2Code.SaveFailed, 'failed to save ping result', errorText(err));
  }
  return { status: 'success' };
}

/** The implemented agent → server methods. */
const methods: Record<string, Method> = {
  'agent.report': report,
  'agent.basicInfo': basicInfo,
  'agent.pull': pull,
  'agent.event': event,
  'agent.pingResult': pingResult,
  'agent.taskResult': taskResult,
  'agent.file.result': async (call, params) => acceptFileResult(call.app, call.uuid, params),
};

/** Answers one decoded request; never throws. */
export async function handleV2Request(call: V2Call, req: V2Request): Promise<V2Response> {
  if (req.jsonrpc !== '2.0') return v2Error(req.id, V2Code.InvalidRequest, 'invalid jsonrpc version');
  const method = Object.hasOwn(methods, req.method) ? methods[req.method] : undefined;
  if (!method) return v2Error(req.id, V2Code.MethodNotFound, 'method not found', req.method);
  try {
    return v2Result(req.id, await method(call, req.params));
  } catch (err) {
    if (err instanceof V2Failure) return v2Error(req.id, err.code, err.message, err.data);
    call.app.log.error({ err, uuid: call.uuid, method: req.method }, 'v2 agent request failed');
    return v2Error(req.id, V2Code.Internal, 'internal error', errorText(err));
  }
}
