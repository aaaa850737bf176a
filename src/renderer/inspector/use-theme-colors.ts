/**
 * The theme colours the canvases need (the heat map's zero is the panel surface, so maps sit in the page in
 * both themes), read from the CSS variables and read again when the system switches between light and dark.
 */
import { useEffect, useState } from 'react';
import type { Rgb } from '../../engine/inspect/heat-colors';

export interface ThemeColors {
  zero: Rgb;
  accent: string;
  mark: string;
  text: string;
}

function parseColor(text: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(text.trim());
  if (!hex) return [255, 255, 255];
  const value = Number.parseInt(hex[1], 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function readColors(): ThemeColors {
  const style = getComputedStyle(document.documentElement);
  return {
    zero: parseColor(style.getPropertyValue('--surface')),
    accent: style.getPropertyValue('--accent').trim(),
    mark: style.getPropertyValue('--text').trim(),
    text: style.getPropertyValue('--text-muted').trim(),
  };
}

export function useThemeColors(): ThemeColors {
  const [colors, setColors] = useState(readColors);
  useEffect(() => {
    const query = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setColors(readColors());
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return colors;
}
