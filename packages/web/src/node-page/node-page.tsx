// /instance/<uuid>: one node in detail — what it is, how it is doing right now, and its load and
// ping history over a chosen window. Nothing is fetched for history or live state until the
// node is known to exist for this viewer.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LiveFigures } from './live-figures.tsx';
import { LoadCharts } from './load-charts.tsx';
import { NodeDetails } from './node-details.tsx';
import { NodeHeader } from './node-header.tsx';
import type { NodeWire } from './node-wire.ts';
import { PingCharts } from './ping-charts.tsx';
import { isRangeChoice, RangePicker, type RangeChoice } from './range-picker.tsx';
import { LiveCharts } from './live-charts.tsx';
import { nodePageLimits } from './limits.ts';
import { useAgentVersion, useNode } from './use-node.ts';
import { useLiveNode } from './use-live-node.ts';
import './node-page.css';
import { usePageTitle, useSession } from '../lib/session.tsx';
import { PrivatePrompt } from '../public-site/private-prompt.tsx';

export default function NodePage({ uuid }: { uuid: string }) {
  const { t } = useTranslation('node');
  const { me, site } = useSession();
  // a private site answers 401 to visitors: ask them to log in (and ask the server nothing), as
  // the dashboard does
  const mustLogIn = site?.private_site === true && me?.logged_in === false;
  const { data: node, error, loading, reload } = useNode(uuid, me !== undefined && !mustLogIn);
  if (node) return <KnownNode node={node} />;
  return (
    <div className="node-page">
      <NodeHeader />
      <main className="page">
        {mustLogIn ? (
          <PrivatePrompt next={`/instance/${uuid}`} />
        ) : error ? (
          <p className="error-text" role="alert">
            {t('loadFailed', { message: error.message })}{' '}
            <button type="button" onClick={reload}>
              {t('common:retry')}
            </button>
          </p>
        ) : loading || node === undefined ? (
          <p className="muted">{t('common:loading')}</p>
        ) : (
          <div className="card node-missing" data-testid="node-not-found">
            <h1>{t('notFound.title')}</h1>
            <p className="muted">{t('notFound.body')}</p>
          </div>
        )}
      </main>
    </div>
  );
}

const rangeKey = 'node-range';

/** The range picked last time on this browser; an hour on a first visit. */
function savedRange(): RangeChoice {
  const saved = localStorage.getItem(rangeKey);
  const value = saved === 'live' ? saved : Number(saved);
  return saved !== null && isRangeChoice(value) ? value : nodePageLimits.defaultHours;
}

function KnownNode({ node }: { node: NodeWire }) {
  const { t } = useTranslation('node');
  const [range, setRange] = useState<RangeChoice>(savedRange);
  const live = useLiveNode(node.uuid, range === 'live');
  usePageTitle(node.name);
  const version = useAgentVersion(node.uuid);
  const pick = (r: RangeChoice) => {
    setRange(r);
    localStorage.setItem(rangeKey, String(r));
  };
  return (
    <div className="node-page">
      <NodeHeader node={node} online={live.online} />
      <main className="page">
        <div className="node-top">
          <LiveFigures reports={live.reports} node={node} />
          <NodeDetails node={node} version={version} uptime={live.reports.at(-1)?.uptime} />
        </div>
        <div className="history-head">
          <h2>{t('history.title')}</h2>
          <RangePicker range={range} onChange={pick} />
        </div>
        {range === 'live' ? <LiveCharts node={node} reports={live.reports} /> : <LoadCharts node={node} hours={range} />}
        <PingCharts uuid={node.uuid} hours={range === 'live' ? nodePageLimits.live.pingHours : range} />
      </main>
    </div>
  );
}
