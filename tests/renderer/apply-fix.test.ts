/**
 * Each kind of fix analyzeSpec offers, applied through the applyFix command: the exact spec after it,
 * the issue gone, and undo bringing the broken spec back.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSpec, checkSpecMatchesData } from '../../src/engine/spec/analyze';
import type { SpecFix } from '../../src/engine/spec/fixes';
import type { SpecIssue } from '../../src/engine/spec/issues';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { fixLabel } from '../../src/renderer/editor/fix-label';
import { applyFix } from '../../src/renderer/store/commands';
import { createStudioStore } from '../../src/renderer/store/studio-store';
import { conv, dense, flatten, maxpool, network, relu } from '../spec/build-spec';
import { documentWith } from './build-document';

function onlyIssue(spec: NetworkSpec): SpecIssue {
  const issues = analyzeSpec(spec).issues;
  expect(issues).toHaveLength(1);
  return issues[0];
}

function fixOf(issue: SpecIssue, kind: SpecFix['kind']): SpecFix {
  const fix = issue.fixes?.find((candidate) => candidate.kind === kind);
  if (!fix) throw new Error(`no ${kind} fix on "${issue.message}"`);
  return fix;
}

const CASES: {
  name: string;
  input: string;
  broken: NetworkSpec['layers'];
  kind: SpecFix['kind'];
  label: string;
  fixed: NetworkSpec['layers'];
}[] = [
  {
    name: 'dense right after conv2d: insert flatten before it',
    input: '1x8x8',
    broken: [conv(4, 3), dense(10)],
    kind: 'insertLayer',
    label: 'Insert Flatten before',
    fixed: [conv(4, 3), flatten, dense(10)],
  },
  {
    name: 'kernel larger than the image: add padding',
    input: '1x4x4',
    broken: [conv(2, 6), flatten, dense(10)],
    kind: 'setParam',
    label: 'Set padding to 1 px',
    fixed: [conv(2, 6, undefined, 1), flatten, dense(10)],
  },
  {
    name: 'pool after flatten: move it before the flatten',
    input: '1x8x8',
    broken: [flatten, maxpool(2), dense(10)],
    kind: 'moveLayer',
    label: 'Move before layer 0',
    fixed: [maxpool(2), flatten, dense(10)],
  },
  {
    name: 'a flatten on a flat input: remove it',
    input: '1x8x8',
    broken: [flatten, flatten, dense(10)],
    kind: 'removeLayer',
    label: 'Remove this layer',
    fixed: [flatten, dense(10)],
  },
];

describe('applying each kind of fix', () => {
  it.each(CASES)('$name', ({ input, broken, kind, label, fixed }) => {
    const store = createStudioStore(documentWith(input, broken));
    const issue = onlyIssue(store.getState().history.present.spec);
    const fix = fixOf(issue, kind);
    expect(fixLabel(fix, store.getState().history.present.spec, issue.layer)).toBe(label);

    store.getState().edit((doc) => applyFix(doc, fix));
    expect(store.getState().history.present.spec).toEqual(network(input, fixed));
    expect(analyzeSpec(store.getState().history.present.spec).issues).toEqual([]);

    store.getState().undo();
    expect(store.getState().history.present.spec).toEqual(network(input, broken));
  });

  it('kernel larger than the image: the other fix reduces the kernel', () => {
    const doc = documentWith('1x4x4', [conv(2, 6), flatten, dense(10)]);
    const issue = onlyIssue(doc.spec);
    const fixes = (issue.fixes ?? []).filter((fix) => fix.kind === 'setParam');
    const reduce = fixes.find((fix) => fix.kind === 'setParam' && fix.field === 'kernelSize');
    if (!reduce) throw new Error('no kernel fix');
    expect(fixLabel(reduce, doc.spec, 0)).toBe('Set kernel to 4 px');
    expect(applyFix(doc, reduce).spec).toEqual(network('1x4x4', [conv(2, 4), flatten, dense(10)]));
  });

  it('a network ending in an image: add flatten at the end (the fix of a network-level problem)', () => {
    const doc = documentWith('1x8x8', [conv(2, 3), relu]);
    const issue = analyzeSpec(doc.spec).issues.find((candidate) => candidate.fixes?.[0]?.kind === 'insertLayer');
    if (!issue) throw new Error('no insertLayer issue');
    const fix = fixOf(issue, 'insertLayer');
    expect(fixLabel(fix, doc.spec, issue.layer)).toBe('Add Flatten at the end');
    expect(applyFix(doc, fix).spec.layers).toEqual([conv(2, 3), relu, flatten]);
  });

  it('an input that does not match the data: set the input shape', () => {
    const doc = documentWith('1x28x28', [flatten, dense(10)]);
    const [issue] = checkSpecMatchesData(doc.spec, { channels: 3, height: 32, width: 32 }, 10);
    const fix = fixOf(issue, 'setInput');
    expect(fixLabel(fix, doc.spec, null)).toBe('Set input to 3×32×32');
    expect(applyFix(doc, fix).spec).toEqual(network('3x32x32', [flatten, dense(10)]));
  });
});
