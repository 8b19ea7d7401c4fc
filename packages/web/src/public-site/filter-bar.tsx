// Group tabs, tag chips, the name search and the cards/table switch.
import { useTranslation } from 'react-i18next';
import type { NodeFilter } from './node-filters.ts';
import type { ViewMode } from './view-mode.ts';

interface Props {
  groups: readonly string[];
  tags: readonly string[];
  filter: NodeFilter;
  onFilter: (f: NodeFilter) => void;
  view: ViewMode;
  onView: (v: ViewMode) => void;
}

export function FilterBar({ groups, tags, filter, onFilter, view, onView }: Props) {
  const { t } = useTranslation('dashboard');
  return (
    <section className="dash-filters" aria-label={t('filter.label')}>
      {groups.length > 0 && (
        <div className="dash-tabs" role="group" aria-label={t('filter.groups')}>
          {['', ...groups].map((g) => (
            <button
              key={g || '\u0000all'}
              type="button"
              data-testid="group-tab"
              aria-pressed={filter.group === g}
              className={filter.group === g ? 'is-active' : ''}
              onClick={() => onFilter({ ...filter, group: g })}
            >
              {g || t('filter.all')}
            </button>
          ))}
        </div>
      )}
      <div className="dash-filter-row">
        <input
          type="search"
          data-testid="search"
          aria-label={t('filter.search')}
          placeholder={t('filter.search')}
          value={filter.query}
          onChange={(e) => onFilter({ ...filter, query: e.target.value })}
        />
        {tags.length > 0 && (
          <div className="dash-chips" role="group" aria-label={t('filter.tags')}>
            {tags.map((tag) => (
              <button
                key={tag}
                type="button"
                data-testid="tag-chip"
                aria-pressed={filter.tag === tag}
                className={`dash-chip${filter.tag === tag ? ' is-active' : ''}`}
                onClick={() => onFilter({ ...filter, tag: filter.tag === tag ? '' : tag })}
              >
                {tag}
              </button>
            ))}
          </div>
        )}
        <div className="dash-view-switch" role="group" aria-label={t('view.label')}>
          {(['cards', 'table'] as const).map((v) => (
            <button
              key={v}
              type="button"
              data-testid={`view-${v}`}
              aria-pressed={view === v}
              className={view === v ? 'is-active' : ''}
              onClick={() => onView(v)}
            >
              {t(`view.${v}`)}
            </button>
          ))}
        </div>
      </div>
    </section>
  );
}
