/**
 * Chart colours come from the same CSS variables as the rest of the window (theme.css), read when a chart
 * is built; the charts are rebuilt when the system switches between light and dark.
 */
import { useSyncExternalStore } from 'react';

export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  accent: string;
  validation: string;
  rate: string;
  font: string;
}

export function readChartTheme(element: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return {
    text: read('--text'),
    muted: read('--text-muted'),
    grid: read('--border'),
    surface: read('--surface'),
    accent: read('--accent'),
    validation: read('--warn'),
    rate: read('--ok'),
    font: read('--font-ui'),
  };
}

/**
 * A #rrggbb colour (every theme and layer colour is one) with alpha, e.g. for the raw per-step loss under its
 * smoothed line. Written as rgba() because chart.js parses colours itself for hover states.
 */
export function faded(hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) return hex;
  const [r, g, b] = match.slice(1).map((pair) => Number.parseInt(pair, 16));
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

const DARK = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

export function useColorScheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, () => (window.matchMedia(DARK).matches ? 'dark' : 'light'));
}
