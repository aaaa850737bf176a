/** Path helpers that work on any host's path strings (POSIX "/" or Windows "\"), with no Node import. */

export function joinPath(dir: string, name: string): string {
  if (dir === '') return name;
  return /[\\/]$/.test(dir) ? `${dir}${name}` : `${dir}/${name}`;
}

/** "data/mnist/train.gz" → "train.gz"; trailing separators are ignored. */
export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}

/** "data/mnist/train.gz" → "data/mnist"; "" when the path has no folder part. */
export function dirName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return '';
  return cut === 0 ? trimmed.slice(0, 1) : trimmed.slice(0, cut);
}

/** The name without a trailing ".gz", lower-cased: what format rules match on. */
export function plainName(path: string): string {
  return baseName(path).toLowerCase().replace(/\.gz$/, '');
}

export function isHidden(name: string): boolean {
  return name.startsWith('.');
}
