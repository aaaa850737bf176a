/**
 * Which data files the engine may read, decided in main because only main sees the user's choices: a path
 * picked in the open dialog is granted at once; a data path stored in an opened project file (which anyone
 * could have written) is granted only after the user says yes in a native prompt naming it. Grants go to the
 * engine process (EngineProcessHost.allowPaths), whose file source enforces them (engine-process/path-allowlist.ts).
 */
import { stat } from 'node:fs/promises';
import type { PathGrant } from './engine-process/path-allowlist';

/** A chosen folder allows what is below it; a chosen file allows itself and the files beside it. */
export function grantsForChosen(paths: string[], directory: boolean): PathGrant[] {
  return paths.map((path) => ({ path, kind: directory ? 'folder' : 'file' }));
}

/** The paths a SOURCE string names: none for builtin:, the path itself, or the two halves of IMAGES,LABELS. */
export async function sourcePaths(source: string): Promise<string[]> {
  const trimmed = source.trim();
  if (trimmed.startsWith('builtin:')) return [];
  if ((await kindOf(trimmed)) !== null || !trimmed.includes(',')) return [trimmed];
  return trimmed
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * Grants for paths the user allowed, by what they are on disk. One that does not exist (yet) is granted as a
 * file, so loading it then says it is missing rather than that it was not chosen.
 */
export async function grantsForConfirmed(paths: string[]): Promise<PathGrant[]> {
  return Promise.all(paths.map(async (path) => ({ path, kind: (await kindOf(path)) ?? ('file' as const) })));
}

async function kindOf(path: string): Promise<PathGrant['kind'] | null> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file';
  } catch {
    return null;
  }
}
