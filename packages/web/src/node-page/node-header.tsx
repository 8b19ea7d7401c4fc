// The page header: back to the dashboard, which node this is and whether it is online.
import { useTranslation } from 'react-i18next';
import { HeaderControls } from '../lib/header-controls.tsx';
import { Link } from '../lib/router.tsx';
import type { NodeWire } from './node-wire.ts';
import { regionFlag } from '../lib/format.ts';

export function NodeHeader({ node, online }: { node?: NodeWire; online?: boolean }) {
  const { t } = useTranslation('node');
  const state = online === undefined ? 'unknown' : online ? 'online' : 'offline';
  return (
    <header className="site-header node-header">
      <div className="node-title">
        <Link href="/" className="back-link" data-testid="back">
          ← {t('back')}
        </Link>
        {node && (
          <h1>
            {node.region && <span className="region-flag" title={node.region}>{regionFlag(node.region)}</span>}
            <span data-testid="node-name">{node.name}</span>
            <span className={`status-badge ${state}`} data-testid="node-status" data-state={state}>
              {t(`status.${state}`)}
            </span>
          </h1>
        )}
      </div>
      <HeaderControls />
    </header>
  );
}
