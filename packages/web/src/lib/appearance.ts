// Light, dark or follow the system: localStorage `appearance`, the key Komari themes share.
export type Appearance = 'light' | 'dark' | 'system';

export function savedAppearance(): Appearance {
  const v = localStorage.getItem('appearance');
  return v === 'light' || v === 'dark' ? v : 'system';
}

export function applyAppearance(a: Appearance): void {
  localStorage.setItem('appearance', a);
  const dark = a === 'dark' || (a === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}
