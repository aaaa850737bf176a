// The layering the README describes, checked on the real import graph: the engine at the bottom and pure,
// Electron only in src/main, the plain-Node host shared by the CLI, the bench and the utility process.
import { describe, expect, it } from 'vitest';
import { cycles, type ImportEdge, importGraph, importsOf, sourceFiles } from './import-graph';

const graph = importGraph(['src', 'bench', 'examples']);

function edgesFrom(folder: string, edges = graph): ImportEdge[] {
  return edges.filter((edge) => edge.from.startsWith(`${folder}/`));
}

function describeEdges(edges: ImportEdge[]): string[] {
  return edges.map(({ from, specifier }) => `${from} imports '${specifier}'`);
}

describe('import graph', () => {
  it('reads every kind of import (a check of the reader itself)', () => {
    const serve = importsOf('src/main/engine-host.ts').map((edge) => edge.to);
    expect(serve).toContain('electron');
    expect(serve).toContain('src/shared/ipc-contract.ts');
    expect(sourceFiles('src/engine').length).toBeGreaterThan(50);
    expect(
      cycles([
        { from: 'a.ts', to: 'b.ts', specifier: './b' },
        { from: 'b.ts', to: 'c.ts', specifier: './c' },
        { from: 'c.ts', to: 'a.ts', specifier: './a' },
        { from: 'c.ts', to: 'd.ts', specifier: './d' },
      ]),
    ).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it.each(['src/cli', 'bench', 'src/renderer', 'src/preload', 'src/node', 'src/shared', 'src/engine'])(
    'nothing in %s imports src/main',
    (folder) => {
      expect(describeEdges(edgesFrom(folder).filter((edge) => edge.to.startsWith('src/main/')))).toEqual([]);
    },
  );

  it('only src/main and src/preload import electron', () => {
    const electron = graph.filter((edge) => edge.to === 'electron' || edge.to.startsWith('electron/'));
    const outside = electron.filter(
      (edge) => !edge.from.startsWith('src/main/') && !edge.from.startsWith('src/preload/'),
    );
    expect(describeEdges(outside)).toEqual([]);
    expect(electron.length).toBeGreaterThan(0);
  });

  it('the engine imports only itself, data files and plain libraries: no Node, Electron, React or host code', () => {
    const engine = edgesFrom('src/engine');
    const leaving = engine.filter(
      (edge) => edge.specifier.startsWith('.') && !edge.to.startsWith('src/engine/') && !edge.to.endsWith('.json'),
    );
    const hostModules = engine.filter((edge) => /^(node:|electron$|react|react-dom)/.test(edge.to));
    expect(describeEdges(leaving)).toEqual([]);
    expect(describeEdges(hostModules)).toEqual([]);
  });

  it('the renderer reaches no Node host code', () => {
    const renderer = edgesFrom('src/renderer');
    expect(
      describeEdges(renderer.filter((edge) => edge.to.startsWith('src/node/') || edge.to.startsWith('node:'))),
    ).toEqual([]);
  });

  it('kernels never import layers: layers call kernels, not the other way', () => {
    const kernels = edgesFrom('src/engine/kernels');
    expect(describeEdges(kernels.filter((edge) => edge.to.startsWith('src/engine/layers/')))).toEqual([]);
  });

  it('src/engine has no import cycle', () => {
    expect(cycles(edgesFrom('src/engine'))).toEqual([]);
  });
});
