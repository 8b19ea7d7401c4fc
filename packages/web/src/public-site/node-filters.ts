// Which nodes the dashboard lists and in what order: hidden nodes never (Komari hides them on the
// dashboard even for the admin), then weight ascending and name (Komari's order), then the
// visitor's group tab, tag chip and name search.
import type { NodeWire } from './live-types.ts';

export interface NodeFilter {
  /** '' = every group */
  group: string;
  /** '' = any tag */
  tag: string;
  query: string;
}

export const noFilter: NodeFilter = { group: '', tag: '', query: '' };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** The public nodes in display order. */
export function publicNodes(nodes: readonly NodeWire[]): NodeWire[] {
  return nodes.filter((n) => !n.hidden).sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0) || collator.compare(a.name, b.name));
}

/** `tags` is a `;`-separated string in Komari; blanks are dropped. */
export function tagsOf(node: NodeWire): string[] {
  return (node.tags ?? '')
    .split(';')
    .map((t) => t.trim())
    .filter(Boolean);
}

/** Distinct values in the order they first appear in the (sorted) list. */
function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

export function groupsOf(nodes: readonly NodeWire[]): string[] {
  return distinct(nodes.map((n) => (n.group ?? '').trim()).filter(Boolean));
}

export function allTags(nodes: readonly NodeWire[]): string[] {
  return distinct(nodes.flatMap(tagsOf));
}

export function applyFilter(nodes: readonly NodeWire[], f: NodeFilter): NodeWire[] {
  const q = f.query.trim().toLocaleLowerCase();
  return nodes.filter(
    (n) =>
      (!f.group || (n.group ?? '').trim() === f.group) &&
      (!f.tag || tagsOf(n).includes(f.tag)) &&
      (!q || n.name.toLocaleLowerCase().includes(q)),
  );
}
