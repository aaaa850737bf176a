// The repository's import graph, read with TypeScript's own import scanner (static imports, re-exports,
// `import type`, dynamic `import()` and `?modulePath` / `?url` imports alike), so the layering rules in
// import-graph.test.ts hold for every kind of edge a bundler would follow.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface ImportEdge {
  from: string; // repository-relative, forward slashes
  to: string; // repository-relative file for a relative import, else the bare specifier
  specifier: string;
}

const SOURCE_FILE = /\.(ts|tsx|mts)$/;
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.tsx'];

export function sourceFiles(folder: string): string[] {
  const absolute = join(ROOT, folder);
  if (!existsSync(absolute)) return [];
  const found: string[] = [];
  for (const name of readdirSync(absolute)) {
    if (name === 'node_modules' || name === 'build') continue;
    const path = join(absolute, name);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(relative(ROOT, path)));
    else if (SOURCE_FILE.test(name) && !name.endsWith('.d.ts')) found.push(toRepoPath(path));
  }
  return found;
}

function toRepoPath(absolute: string): string {
  return relative(ROOT, absolute).split('\\').join('/');
}

function resolveRelative(fromFile: string, specifier: string): string {
  const bare = specifier.replace(/\?.*$/, '');
  const base = resolve(ROOT, dirname(fromFile), bare);
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (existsSync(candidate) && statSync(candidate).isFile()) return toRepoPath(candidate);
  }
  throw new Error(`${fromFile}: cannot resolve import '${specifier}'`);
}

export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map(({ fileName: specifier }) => ({
    from: file,
    specifier,
    to: specifier.startsWith('.') ? resolveRelative(file, specifier) : specifier,
  }));
}

export function importGraph(folders: string[]): ImportEdge[] {
  return folders.flatMap(sourceFiles).flatMap(importsOf);
}

/** Strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function cycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || next.get(node)?.includes(node)) found.push(component.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return found;
}
