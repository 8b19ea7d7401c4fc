// Price, billing cycle and expiry as words (Komari's fields: price -1 = free, 0 = not set;
// billing_cycle in days; expired_at null when not set). Keys are in the `dashboard` namespace.
import type { TFunction } from 'i18next';
import type { NodeWire } from './live-types.ts';

const dayMs = 86_400_000;

/** Near-standard cycles get their name (providers bill a "month" as 28 to 31 days). */
const cycles: ReadonlyArray<readonly [number, number, string]> = [
  [28, 31, 'cycle.month'],
  [89, 92, 'cycle.quarter'],
  [180, 184, 'cycle.halfYear'],
  [360, 366, 'cycle.year'],
  [720, 732, 'cycle.twoYears'],
  [1080, 1098, 'cycle.threeYears'],
];

export function priceText(node: NodeWire, t: TFunction): string | undefined {
  if (node.price === -1) return t('price.free');
  if (!node.price || node.price < 0) return undefined;
  const amount = `${node.currency || '$'}${Number.isInteger(node.price) ? node.price : node.price.toFixed(2)}`;
  const days = node.billing_cycle;
  if (!days || days <= 0) return amount;
  const named = cycles.find(([lo, hi]) => days >= lo && days <= hi);
  return t('price.per', { amount, cycle: named ? t(named[2]) : t('cycle.days', { count: days }) });
}

export interface Expiry {
  text: string;
  /** the date itself, for a tooltip */
  date: string;
  state: 'ok' | 'soon' | 'expired' | 'long';
}

export function expiryOf(node: NodeWire, t: TFunction, now = Date.now()): Expiry | undefined {
  if (!node.expired_at) return undefined;
  const at = Date.parse(node.expired_at);
  if (Number.isNaN(at)) return undefined;
  const year = new Date(at).getUTCFullYear();
  // Go's zero time (year 1) means "not set"; far-future dates are how admins write "no end"
  if (year < 2000) return undefined;
  const date = new Date(at).toLocaleDateString();
  if (year >= 2100) return { text: t('expiry.long'), date, state: 'long' };
  const days = Math.ceil((at - now) / dayMs);
  if (days < 0) return { text: t('expiry.expired'), date, state: 'expired' };
  return { text: t('expiry.daysLeft', { count: days }), date, state: days <= 7 ? 'soon' : 'ok' };
}
