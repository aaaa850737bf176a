/**
 * Which samples of the loaded data a run's "train", "validation" and "test" mean. On the data the run trained
 * on (same fingerprint) they are its own split; other data of the same shape and classes can be evaluated too,
 * all of it as "train", but it has no validation samples of that run.
 */
import type { Dataset } from '../data/dataset';
import { Network } from '../network';
import type { DataPart } from '../protocol';
import { Rng } from '../rng';
import { checkSpecMatchesData } from '../spec/analyze';
import { allIndices } from '../trainer/batches';
import { stratifiedSplit } from '../trainer/split';
import { sameFingerprint } from './data-fingerprint';
import { NotReadyError } from './not-ready-error';
import type { RunRecord } from './run-record';
import type { RunData } from './start-run';

export function partOfRun(
  record: RunRecord,
  part: DataPart,
  data: RunData,
): { dataset: Dataset; indices: ArrayLike<number> } {
  const { train, test } = data.loaded.splits;
  const action = `use the ${part} data with ${record.name}`;
  const misfit = checkSpecMatchesData(record.spec, train.shape, train.classNames.length).filter(
    (issue) => issue.severity === 'error',
  );
  if (misfit.length > 0) {
    throw new NotReadyError(action, `${misfit[0].message}; load the data ${record.name} trained on.`);
  }
  if (part === 'test' || (part === 'validation' && record.validationPart === 'test')) {
    if (!test) throw new NotReadyError(action, `${data.source} has no separate test set.`);
    return { dataset: test, indices: allIndices(test.count) };
  }
  const pinned = record.data?.fingerprint;
  const same = pinned !== undefined && pinned !== null && sameFingerprint(pinned, data.fingerprint);
  if (part === 'validation') {
    if (record.validationPart === null) {
      throw new NotReadyError(
        action,
        `${record.name} trained without validation; train with a validation split above 0.`,
      );
    }
    if (!same) {
      throw new NotReadyError(
        action,
        `Its validation samples are a split of ${record.data?.source ?? 'the data it trained on'}; load that data again.`,
      );
    }
    return { dataset: train, indices: splitOf(record, train).validation ?? allIndices(0) };
  }
  return { dataset: train, indices: same ? splitOf(record, train).train : allIndices(train.count) };
}

/** The run's split, drawn again as its trainer drew it (a network built from the seed, then the split). */
function splitOf(record: RunRecord, train: Dataset): { train: Int32Array; validation: Int32Array | null } {
  const trainer = record.trainer;
  if (trainer) return { train: trainer.trainIndices, validation: trainer.validationIndices };
  if (record.split === null) {
    const fraction = record.validationPart === 'validation' ? record.settings.validationSplit : 0;
    if (fraction > 0) {
      const network = new Network(record.spec, new Rng(record.settings.seed));
      record.split = stratifiedSplit(train.labels, network.classes, fraction, network.rng);
    } else {
      record.split = { train: allIndices(train.count), validation: null };
    }
  }
  return record.split;
}
