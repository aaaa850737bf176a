/**
 * Whether Train can be pressed, and if not, the one thing to do first. The first start (LeNet on the builtin
 * MNIST) is ready as soon as the digits are loaded.
 */
import { checkSpecMatchesData } from '../../engine/spec/analyze';
import type { NetworkSpec } from '../../engine/spec/types';
import type { RunView } from '../run/run-state';
import type { EditorReport } from '../store/editor-report';

export type Readiness = { ready: true; summary: string } | { ready: false; reason: string };

export function readiness(view: RunView, spec: NetworkSpec, report: EditorReport): Readiness {
  const errors = report.report.issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0) return { ready: false, reason: 'Fix the network first: a layer is marked in red.' };
  const { dataset } = view;
  if (dataset.state === 'loading') return { ready: false, reason: 'Loading the data…' };
  if (dataset.state === 'failed') return { ready: false, reason: 'Load data that works: see Data above.' };
  if (dataset.state === 'none') return { ready: false, reason: 'Waiting for the engine…' };
  const { shape, classNames, count } = dataset.summary;
  const mismatch = checkSpecMatchesData(spec, shape, classNames.length)[0];
  if (mismatch) return { ready: false, reason: `The network does not fit the data: ${mismatch.message}` };
  return { ready: true, summary: `${count.toLocaleString('en-US')} samples, ${classNames.length} classes` };
}
