// Client-side navigation for anchors that need a ref (the router's Link takes none): a plain
// left click navigates in place; modified clicks keep the browser's behaviour (new tab, …).
import type { MouseEvent } from 'react';
import { navigate } from '../lib/router.tsx';

export function followLink(e: MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(e.currentTarget.getAttribute('href') ?? '/');
}
