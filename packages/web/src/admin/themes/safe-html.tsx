// A `textbox` item's HTML (themes.md §3.1). Themes put links and emphasis in it, so showing it
// as plain text would lose them; but it comes from a package anyone can upload, and the admin
// page holds the admin's session. So the HTML is parsed by DOMParser (which never runs scripts
// or loads anything) and rebuilt as React elements from a short list of inert tags, with `href`
// the only attribute kept (http, https, mailto or in-site). No dangerouslySetInnerHTML: nothing
// the package wrote reaches the DOM as markup, so no handler or script can come along.
import { createElement, type ReactNode } from 'react';

const allowed = new Set(['a', 'b', 'strong', 'i', 'em', 'u', 's', 'code', 'pre', 'p', 'br', 'span', 'small', 'ul', 'ol', 'li', 'h3', 'h4', 'blockquote']);
/** Tags whose content is not text for a reader: dropped with everything inside. */
const dropped = new Set(['script', 'style', 'template', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math']);

function safeHref(href: string | null): string | undefined {
  if (!href) return undefined;
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed)) return trimmed;
  // in-site paths only: no scheme (javascript:, data:) and no protocol-relative host
  if (/^[/?#]/.test(trimmed) && !trimmed.startsWith('//')) return trimmed;
  return undefined;
}

function convert(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (dropped.has(tag)) return null;
  const children = Array.from(el.childNodes, (c, i) => convert(c, i));
  if (!allowed.has(tag)) return createElement('span', { key }, ...children);
  if (tag === 'br') return createElement('br', { key });
  if (tag === 'a') return createElement('a', { key, href: safeHref(el.getAttribute('href')), target: '_blank', rel: 'noopener noreferrer' }, ...children);
  return createElement(tag, { key }, ...children);
}

export function SafeHtml({ html, className }: { html: string; className?: string }) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return <div className={className}>{Array.from(doc.body.childNodes, (c, i) => convert(c, i))}</div>;
}
