// What the node is: system, hardware and totals from /api/nodes, plus price and expiry when the
// admin set them. The agent version is not public (public-api.md §5): only admins see it.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatUptime } from '../lib/format.ts';
import type { NodeWire } from './node-wire.ts';

type Translate = TFunction<'node'>;

/** Komari's billing cycles in days; anything else reads as "every N days". */
const cycles: Record<number, string> = { 30: 'month', 31: 'month', 90: 'quarter', 92: 'quarter', 180: 'halfYear', 184: 'halfYear', 365: 'year', 730: 'twoYears', 1095: 'threeYears' };

export function priceText(node: NodeWire, t: Translate): string | undefined {
  if (node.price === -1) return t('details.free');
  if (!(node.price > 0)) return undefined;
  const amount = `${node.currency || '$'}${node.price}`;
  if (!(node.billing_cycle > 0)) return amount;
  const cycle = cycles[node.billing_cycle];
  return t('details.perCycle', { amount, cycle: cycle ? t(`cycle.${cycle}`) : t('cycle.days', { n: node.billing_cycle }) });
}

export function expiryText(expiredAt: string | null, t: Translate, lang: string): string | undefined {
  const at = expiredAt ? Date.parse(expiredAt) : NaN;
  if (!Number.isFinite(at) || at <= 0) return undefined;
  const date = new Date(at).toLocaleDateString(lang);
  const days = Math.ceil((at - Date.now()) / 86_400_000);
  return days < 0 ? t('details.expired', { date }) : t('details.expiresIn', { date, n: days });
}

interface Extra {
  /** admins only */
  version?: string;
  /** seconds, from the latest report */
  uptime?: number;
}

function rows(node: NodeWire, extra: Extra, t: Translate, lang: string): [string, string | undefined][] {
  const cores = node.cpu_physical_cores > 0 ? t('details.coresPhysical', { n: node.cpu_cores, p: node.cpu_physical_cores }) : t('details.cores', { n: node.cpu_cores });
  const gpu = node.gpu_name && node.gpu_name !== 'None' ? node.gpu_name : undefined;
  return [
    ['os', node.os],
    ['kernel', node.kernel_version],
    ['arch', node.arch],
    ['virtualization', node.virtualization],
    ['cpu', node.cpu_name ? `${node.cpu_name} (${cores})` : undefined],
    ['gpu', gpu],
    ['memory', node.mem_total > 0 ? formatBytes(node.mem_total) : undefined],
    ['swap', node.swap_total > 0 ? formatBytes(node.swap_total) : undefined],
    ['disk', node.disk_total > 0 ? formatBytes(node.disk_total) : undefined],
    ['uptime', extra.uptime !== undefined ? formatUptime(extra.uptime) : undefined],
    ['version', extra.version],
    ['price', priceText(node, t)],
    ['expiry', expiryText(node.expired_at, t, lang)],
  ];
}

export function NodeDetails({ node, ...extra }: { node: NodeWire } & Extra) {
  const { t, i18n } = useTranslation('node');
  return (
    <section className="card details-card" data-testid="details">
      <h2>{t('details.title')}</h2>
      <dl className="details">
        {rows(node, extra, t, i18n.language)
          .filter((r): r is [string, string] => !!r[1])
          .map(([key, value]) => (
            <div key={key} data-detail={key}>
              <dt>{t(`details.${key}`)}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {node.public_remark && (
        <p className="public-remark" data-detail="remark">
          {node.public_remark}
        </p>
      )}
    </section>
  );
}
