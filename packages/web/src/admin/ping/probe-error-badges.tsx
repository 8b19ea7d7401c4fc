// Under a ping task's name: one warning per reason its probes could not run, with the servers
// it happened on. The tooltip says what to do and, per server, the agent's own message.
import { useTranslation } from 'react-i18next';
import { probeCode, probeDetail, probeReason } from '../../lib/probe-error.ts';
import type { PingTask } from './ping-api.ts';

/** Servers named in a badge before the rest are counted ("+2 more"). */
const namedServers = 3;

export function ProbeErrorBadges({ errors, nameOf }: { errors: NonNullable<PingTask['probe_errors']>; nameOf: (uuid: string) => string }) {
  const { t } = useTranslation('probe-errors');
  const byCode = new Map<string, typeof errors>();
  for (const e of errors) {
    const code = probeCode(e.code);
    byCode.set(code, [...(byCode.get(code) ?? []), e]);
  }
  return (
    <div className="probe-errors">
      {[...byCode].map(([code, list]) => {
        const names = list.slice(0, namedServers).map((e) => nameOf(e.client));
        if (list.length > namedServers) names.push(t('more', { count: list.length - namedServers }));
        const details = list.map((e) => `${nameOf(e.client)}: ${e.message ?? probeReason(t, e.code)}`);
        return (
          <span key={code} className="probe-error-badge" data-testid="probe-error" data-code={code} title={[probeDetail(t, { code }), ...details].join('\n')}>
            <span aria-hidden="true">⚠ </span>
            {t('onNodes', { reason: probeReason(t, code), nodes: names.join(', ') })}
          </span>
        );
      })}
    </div>
  );
}
