/** The confusion matrix with the samples of the chosen cell under it; empty until the first epoch ends. */
import { useState } from 'react';
import type { RunController } from '../run/run-controller';
import { lostReason } from '../run/run-state';
import { useRun } from '../run/run-store';
import { ConfusionMatrix } from './ConfusionMatrix';
import { MisclassifiedList } from './MisclassifiedList';

const NO_NAMES: readonly string[] = [];

export function ConfusionSection({ controller }: { controller: RunController }) {
  const confusion = useRun((view) => view.confusion);
  const samples = useRun((view) => view.samples);
  const classNames = useRun((view) => (view.dataset.state === 'ready' ? view.dataset.summary.classNames : NO_NAMES));
  const [selected, setSelected] = useState<{ actual: number; predicted: number } | null>(null);
  // The matrix of a run lost in an engine restart stays (it is history), but its samples need the weights.
  const lost = useRun((view) => lostReason(view, view.selectedRunId));

  if (!confusion) {
    return (
      <section className="confusion-section">
        <h3 className="live-chart__title">Confusion matrix</h3>
        <p className="section__note">Appears after the first epoch: which classes the network mixes up.</p>
      </section>
    );
  }
  return (
    <section className="confusion-section">
      <ConfusionMatrix
        confusion={confusion}
        classNames={classNames}
        selected={selected}
        onSelect={(actual, predicted) => {
          setSelected({ actual, predicted });
          controller.findSamples(confusion.part, actual, predicted);
        }}
      />
      {lost !== null ? (
        <p className="section__note" data-testid="confusion-lost">
          The samples of a cell cannot be found without the weights. {lost}
        </p>
      ) : (
        <MisclassifiedList
          samples={samples}
          classNames={classNames}
          onPage={(offset) => {
            if (selected) controller.findSamples(confusion.part, selected.actual, selected.predicted, offset);
          }}
        />
      )}
    </section>
  );
}
