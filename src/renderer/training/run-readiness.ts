/**
 * Whether Train can be pressed, and if not, the one thing to do first. The first start (LeNet on the builtin
 * MNIST) is ready as soon as the digits are loaded.
 */
import { checkSpecMatchesData } from '../../engine/spec/analyze';
import type { NetworkSpec } from '../../engine/spec/types';
import { counted } from '../format/plural';
import { heldDataset, type RunView } from '../run/run-state';
import type { EditorReport } from '../store/editor-report';

export type Readiness = { ready: true; summary: string } | { ready: false; reason: string };

export function readiness(view: RunView, spec: NetworkSpec, report: EditorReport): Readiness {
  if (spec.layers.length === 0)
    return { ready: false, reason: 'Add layers: the stack is empty (drag them in, or pick a template).' };
  const error = report.report.issues.find((issue) => issue.severity === 'error');
  if (error) {
    const where = error.layer === null ? error.message : `layer ${error.layer} is marked in red`;
    return { ready: false, reason: `Fix the network first: ${where}.` };
  }
  const { dataset } = view;
  if (dataset.state === 'loading') return { ready: false, reason: 'Loading the data…' };
  if (dataset.state === 'missing') return { ready: false, reason: 'Choose the data again: see Data above.' };
  if (dataset.state === 'none') return { ready: false, reason: 'Waiting for the engine…' };
  // After a failed load the engine still holds the data before it, and trains on that.
  const held = heldDataset(dataset);
  if (held === undefined) return { ready: false, reason: 'Load data that works: see Data above.' };
  const { shape, classNames, count } = held.summary;
  const mismatch = checkSpecMatchesData(spec, shape, classNames.length)[0];
  if (mismatch) return { ready: false, reason: `The network does not fit the data: ${mismatch.message}` };
  return { ready: true, summary: `${counted(count, 'sample')}, ${counted(classNames.length, 'class', 'classes')}` };
}
