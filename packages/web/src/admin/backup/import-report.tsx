// What an import brought over and what it left out (packages/protocol/src/import-report.ts): the
// schema it read, the count per kind, the skipped rows with their reasons, and how long it took.
import type { ImportReport as Report } from '@komari-ts/protocol/import-report';
import { useTranslation } from 'react-i18next';

export function ImportReport({ report }: { report: Report }) {
  const { t, i18n } = useTranslation('admin-backup');
  // kinds a newer server adds are shown by their own name until they get one here
  const kindName = (kind: string) => (i18n.exists(`admin-backup:report.kinds.${kind}`) ? t(`report.kinds.${kind}`) : kind);
  const counts = Object.entries(report.imported);
  const unlisted = report.skippedTotal - report.skipped.length;
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section className="import-report" data-testid="import-report">
      <h3>{t('report.title')}</h3>
      <dl className="import-report-facts">
        <dt>{t('report.source')}</dt>
        <dd data-testid="import-report-source">{t('report.sourceValue', { schema: report.source.schema })}</dd>
        <dt>{t('report.mode')}</dt>
        <dd>{t(`report.modes.${report.mode}`)}</dd>
        <dt>{t('report.duration')}</dt>
        <dd>{report.durationMs < 1000 ? t('report.ms', { count: report.durationMs }) : t('report.seconds', { value: (report.durationMs / 1000).toFixed(1) })}</dd>
        <dt>{t('report.skippedTotal')}</dt>
        <dd data-testid="import-report-skipped-total">{number.format(report.skippedTotal)}</dd>
      </dl>
      {counts.length === 0 ? (
        <p className="muted">{t('report.nothing')}</p>
      ) : (
        <table className="grid import-report-counts" data-testid="import-report-counts">
          <thead>
            <tr>
              <th>{t('report.kind')}</th>
              <th>{t('report.count')}</th>
            </tr>
          </thead>
          <tbody>
            {counts.map(([kind, n]) => (
              <tr key={kind} data-kind={kind}>
                <td>{kindName(kind)}</td>
                <td className="import-report-number">{number.format(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.skipped.length > 0 && (
        <>
          <h4>{t('report.skippedTitle')}</h4>
          <ul className="import-report-skips" data-testid="import-report-skips">
            {report.skipped.map((s, i) => (
              <li key={i}>
                <strong>{kindName(s.kind)}</strong>
                {s.id !== undefined && <code> #{s.id}</code>}: {s.reason}
              </li>
            ))}
          </ul>
          {unlisted > 0 && <p className="muted">{t('report.unlisted', { count: unlisted })}</p>}
        </>
      )}
    </section>
  );
}
