// The public dashboard at `/`: header, fleet summary, filters and every public node as a card or
// a table row, with figures that follow the /api/clients feed. On a private site a visitor who
// is not logged in gets a login prompt and nothing is requested about the nodes.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle, useSession } from '../lib/session.tsx';
import './dashboard.css';
import { DashboardHeader } from './dashboard-header.tsx';
import { FilterBar } from './filter-bar.tsx';
import { connectLive } from './live-socket.ts';
import { LiveStore } from './live-store.ts';
import type { NodeWire } from './live-types.ts';
import { NodeGrid } from './node-grid.tsx';
import { allTags, applyFilter, groupsOf, noFilter, publicNodes, type NodeFilter } from './node-filters.ts';
import { NodeTable } from './node-table.tsx';
import { PrivatePrompt } from './private-prompt.tsx';
import { SummaryStrip } from './summary-strip.tsx';
import { dashboardOptions, featuredFirst } from './theme-options.ts';
import { LiveStoreContext } from './use-live.ts';
import { useNodeList } from './use-node-list.ts';
import { useViewMode } from './view-mode.ts';

export function DashboardPage() {
  const { t } = useTranslation('dashboard');
  const { me, site } = useSession();
  usePageTitle();
  const [store] = useState(() => new LiveStore());
  const known = me !== undefined;
  const gated = known && site?.private_site === true && !me.logged_in;
  const list = useNodeList(store, known && !gated);
  const mustLogIn = gated || list.mustLogIn;
  const live = known && !mustLogIn;

  useEffect(() => {
    if (!live) return;
    return connectLive(store);
  }, [live, store]);
  useEffect(() => () => store.dispose(), [store]);

  let body;
  if (mustLogIn) body = <PrivatePrompt />;
  else if (list.nodes) body = <Fleet nodes={list.nodes} />;
  else if (list.error) {
    body = (
      <div className="card dash-error" role="alert">
        <p className="error-text">{t('loadFailed', { message: list.error.message })}</p>
        <button type="button" onClick={list.reload}>
          {t('retry', { ns: 'common' })}
        </button>
      </div>
    );
  } else body = <div className="page-loading">{t('loading', { ns: 'common' })}</div>;

  return (
    <LiveStoreContext value={store}>
      <DashboardHeader />
      <main className="page dashboard">{body}</main>
    </LiveStoreContext>
  );
}

function Fleet({ nodes }: { nodes: readonly NodeWire[] }) {
  const { t } = useTranslation('dashboard');
  const { site } = useSession();
  const options = useMemo(() => dashboardOptions(site?.theme_settings), [site?.theme_settings]);
  const [filter, setFilter] = useState<NodeFilter>(noFilter);
  const [view, setView] = useViewMode(options.defaultView);
  const visible = useMemo(() => featuredFirst(publicNodes(nodes), options.featured), [nodes, options.featured]);
  const groups = useMemo(() => groupsOf(visible), [visible]);
  const tags = useMemo(() => allTags(visible), [visible]);
  const shown = useMemo(() => applyFilter(visible, filter), [visible, filter]);

  let list;
  if (visible.length === 0) list = <p className="card dash-empty muted">{t('empty.none')}</p>;
  else if (shown.length === 0) list = <p className="card dash-empty muted" data-testid="no-match">{t('empty.noMatch')}</p>;
  else if (view === 'table') list = <NodeTable nodes={shown} />;
  else list = <NodeGrid nodes={shown} show={options.card} featured={options.featured} />;

  return (
    <>
      {options.showSummary && <SummaryStrip nodes={visible} />}
      <FilterBar groups={groups} tags={tags} filter={filter} onFilter={setFilter} view={view} onView={setView} />
      {list}
    </>
  );
}
