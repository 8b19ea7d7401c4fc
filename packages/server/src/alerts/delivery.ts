import type { FastifyBaseLogger } from 'fastify';
import type { ServerLimits } from '../config/limits.ts';
import type { Clock } from '../clock.ts';
import type { AuditService } from '../services/audit-service.ts';
import { sendableConfigOf } from './notifiers/config.ts';
import { PermanentSendError, type Notice, type NoticeEvent } from './notifiers/types.ts';
import type { DeliveryResult } from './store/types.ts';
import type { Target } from './targets.ts';
import { renderTemplate } from './template.ts';
import { cutUtf8 } from '../util/utf8-cut.ts';

/** Komari counts this QQ-side quirk as delivered (notifications.md §3.3). */
const deliveredAnyway = 'short response: \x00\x00\x00\x1a\x00\x00\x00';

export interface DeliveryDeps {
  clock: Clock;
  log: FastifyBaseLogger;
  audit: AuditService;
  limits: ServerLimits['alerts'];
}

/**
 * Sends notices to channels. Every channel is sent to on its own: a dead or slow endpoint ends
 * at its timeout and delays nobody else, and nothing here is awaited by ingest. Each attempt is
 * bounded by `sendTimeoutMs`; failed attempts are retried with a growing wait. Every send and
 * failure is audited, with the channel's secrets masked out of the error.
 */
export class Delivery {
  readonly #deps: DeliveryDeps;
  #pending = 0;
  readonly #stopping = new AbortController();

  constructor(deps: DeliveryDeps) {
    this.#deps = deps;
  }

  get pending(): number {
    return this.#pending;
  }

  /** Renders the notice per target's template and sends to all targets at once. */
  async deliver(targets: readonly Target[], event: NoticeEvent, globalTemplate: string): Promise<DeliveryResult[]> {
    if (this.#pending >= this.#deps.limits.maxPendingDeliveries) {
      this.#deps.log.error({ event: event.event }, 'too many notices being delivered; this one is dropped');
      const at = this.#deps.clock.now();
      return targets.map((t) => result(t, false, 'dropped: too many notices being delivered', 0, at));
    }
    this.#pending++;
    try {
      return await Promise.all(targets.map((t) => this.#sendOne(t, event, globalTemplate)));
    } finally {
      this.#pending--;
    }
  }

  /** Ends waits between retries (shutdown); sends in flight end at their own timeout. */
  stop(): void {
    this.#stopping.abort();
  }

  async #sendOne(target: Target, event: NoticeEvent, globalTemplate: string): Promise<DeliveryResult> {
    const { limits, clock, audit } = this.#deps;
    const text = cutUtf8(renderTemplate(target.template || globalTemplate, event), limits.maxMessageBytes);
    const notice: Notice = { title: event.event, text, event };
    let lastError = '';
    let attempts = 0;
    let config: unknown;
    try {
      config = sendableConfigOf(target.def, target.config);
    } catch (err) {
      lastError = `${target.def.kind} is not fully configured: ${(err as Error).message}`;
    }
    while (config !== undefined && attempts < limits.attempts && !this.#stopping.signal.aborted) {
      if (attempts > 0) await wait(limits.retryBaseMs * 4 ** (attempts - 1), this.#stopping.signal);
      attempts++;
      try {
        await target.def.send(notice, config as never, { signal: AbortSignal.timeout(limits.sendTimeoutMs), timeoutMs: limits.sendTimeoutMs });
        lastError = '';
        break;
      } catch (err) {
        lastError = masked(describe(err, limits.sendTimeoutMs), target);
        if (lastError === deliveredAnyway) {
          lastError = '';
          break;
        }
        if (err instanceof PermanentSendError) break;
      }
    }
    const ok = lastError === '';
    const via = target.channelId === 0 ? '' : ` via ${target.name}`;
    if (ok) await audit.log('', '', `Event message sent: ${event.event}${via}`, 'info');
    else await audit.log('', '', `Failed to send event message after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${lastError},${event.event}${via}`, 'error');
    return result(target, ok, lastError, attempts, clock.now());
  }
}

function result(t: Target, ok: boolean, error: string, attempts: number, at: number): DeliveryResult {
  return { channelId: t.channelId, channel: t.name, kind: t.def.kind, ok, error, attempts, at };
}

function describe(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs / 1000} s`;
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e instanceof Error && e.message === 'fetch failed' && e.cause) return `fetch failed: ${e.cause.code ?? e.cause.message ?? 'unknown'}`;
  return e instanceof Error ? e.message : String(err);
}

/**
 * Replaces every secret value of the target's config found in the text. A secret field holding
 * a JSON object (webhook `headers`) has each of its values masked too: a service that echoes
 * the one header value back must not put the key into the history.
 */
function masked(text: string, target: Target): string {
  let out = text;
  const cfg = (target.config ?? {}) as Record<string, unknown>;
  for (const field of target.def.secretFields) {
    const v = cfg[field];
    if (typeof v !== 'string') continue;
    for (const secret of [v, ...jsonValuesOf(v)].sort((a, b) => b.length - a.length)) {
      if (secret.length >= 4) out = out.split(secret).join('***');
    }
  }
  return out;
}

/** The string values of a JSON object text; none when it is not one. */
function jsonValuesOf(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
    return Object.values(v as Record<string, unknown>).filter((x): x is string => typeof x === 'string');
  } catch {
    return [];
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
