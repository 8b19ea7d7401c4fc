// Admin → Files: /admin/files lists the servers to choose from; /admin/files/<uuid>?path=<folder>
// browses one server's files through its agent (komari-1.5.md §2).
import type { NodeWire } from '@komari-ts/protocol';
import { useTranslation } from 'react-i18next';
import { ApiError, apiGet } from '../../lib/api.ts';
import { Link, matchPath, useLocation } from '../../lib/router.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { useOnlineNodes } from '../../lib/use-online-nodes.ts';
import { loadAdminNodes } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { FileBrowser } from './file-browser.tsx';
import '../shared/tools-page.css';
import './files.css';

export default function FilesPage() {
  const { path, query } = useLocation();
  const node = matchPath('/admin/files/:uuid', path);
  return node?.uuid ? <NodeFiles key={node.uuid} uuid={node.uuid} dir={query.get('path') ?? ''} /> : <ChooseNode />;
}

function NodeFiles({ uuid, dir }: { uuid: string; dir: string }) {
  const { t } = useTranslation('admin-files');
  const node = useAsync((signal) => apiGet<NodeWire>(`/api/admin/client/${encodeURIComponent(uuid)}`, signal), [uuid]);
  const missing = node.error instanceof ApiError && (node.error.status === 404 || node.error.message.includes('not found'));
  return (
    <section className="tools-page files-page" data-testid="files-page">
      <div className="tools-title">
        <h1>{node.data ? t('titleOf', { name: node.data.name }) : t('title')}</h1>
        <div className="tools-actions">
          <a className="button" href={`/terminal?uuid=${encodeURIComponent(uuid)}`} target="_blank" rel="noopener">
            {t('terminal')}
          </a>
          <Link className="button" href="/admin/files">
            {t('otherServer')}
          </Link>
        </div>
      </div>
      {missing ? (
        <p className="error-text" role="alert" data-testid="files-unavailable">
          {t('unavailable.noNode')}
        </p>
      ) : (
        <FileBrowser uuid={uuid} dir={dir} />
      )}
    </section>
  );
}

function ChooseNode() {
  const { t } = useTranslation('admin-files');
  const nodes = useAsync((signal) => loadAdminNodes(signal), []);
  const online = useOnlineNodes();
  return (
    <section className="tools-page files-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      {nodes.error ? (
        <p className="error-text" role="alert">
          {errorText(t, nodes.error)}{' '}
          <button type="button" onClick={nodes.reload}>
            {t('common:retry')}
          </button>
        </p>
      ) : !nodes.data ? (
        <p className="muted">{t('common:loading')}</p>
      ) : nodes.data.length === 0 ? (
        <p className="muted">{t('noNodes')}</p>
      ) : (
        <ul className="files-nodes" data-testid="files-nodes">
          {nodes.data.map((n) => {
            const state = online === undefined ? 'unknown' : online.has(n.uuid) ? 'online' : 'offline';
            return (
              <li key={n.uuid}>
                <Link href={`/admin/files/${encodeURIComponent(n.uuid)}`} className="card files-node" data-uuid={n.uuid}>
                  <span className={`files-dot files-${state}`} aria-hidden="true" />
                  <strong>{n.name}</strong>
                  <span className="muted">{t(`state.${state}`)}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
