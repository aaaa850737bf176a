/** How a SOURCE reads in the data panel: the builtin by name, a path by its last part (the full path on hover). */
export function sourceLabel(source: string): string {
  if (source === 'builtin:mnist') return 'Built-in MNIST digits';
  return source
    .split(',')
    .map((part) => part.trim().split(/[\\/]/).filter(Boolean).pop() ?? part)
    .join(' + ');
}
