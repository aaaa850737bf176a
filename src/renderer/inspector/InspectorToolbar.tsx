/**
 * Choosing what to inspect: a part and a sample number (also set from the data grid, the confusion matrix or
 * the misclassified list), "a misclassified one", and how often to refresh while training.
 */
import { useEffect, useState } from 'react';
import type { DataPart } from '../../engine/protocol';
import type { EngineClient } from '../engine-client/engine-client';
import { lostReason } from '../run/run-state';
import { useRun } from '../run/run-store';
import { selectTraining } from '../store/document-selectors';
import { useStudio } from '../store/use-studio';
import { findMisclassified } from './find-misclassified';
import { useInspectTarget } from './inspect-target';
import { sampleRangeHint } from './sample-range';
import type { InspectCadence } from './use-inspection';
import { usePartCounts } from './use-part-counts';

const CADENCES: { value: string; label: string }[] = [
  { value: 'auto', label: 'about once a second' },
  { value: '1', label: 'every step' },
  { value: '10', label: 'every 10 steps' },
  { value: '100', label: 'every 100 steps' },
  { value: 'off', label: 'only when asked' },
];

export function InspectorToolbar({
  engine,
  cadence,
  onCadence,
}: {
  engine: EngineClient;
  cadence: InspectCadence;
  onCadence: (cadence: InspectCadence) => void;
}) {
  const target = useInspectTarget((state) => state.target);
  const request = useInspectTarget((state) => state.request);
  const confusion = useRun((view) => view.confusion);
  // A run lost in an engine restart has no weights to inspect with: say so on the buttons, as Export does.
  const lost = useRun((view) => lostReason(view, view.selectedRunId));
  const counts = usePartCounts();
  const dataset = useRun((view) => view.dataset);
  const { validationSplit } = useStudio(selectTraining);
  const sample = target?.kind === 'sample' ? target : null;
  const [part, setPart] = useState<DataPart>(sample?.part ?? 'train');
  const [index, setIndex] = useState(String(sample?.index ?? 0));
  const [searching, setSearching] = useState<string | null>(null);
  const shownPart = part;
  useEffect(() => {
    if (!sample) return;
    setPart(sample.part);
    setIndex(String(sample.index));
  }, [sample]);
  const count = counts[shownPart];
  const number = Number(index);
  const valid =
    index.trim() !== '' && Number.isInteger(number) && number >= 0 && (count === undefined || number < count);

  const inspect = () => {
    if (valid && lost === null) request(shownPart, number);
  };
  const misclassified = async () => {
    if (!confusion) return;
    setSearching('Looking for a misclassified sample…');
    try {
      const sample = await findMisclassified(engine, confusion);
      setSearching(sample ? null : 'The current weights misclassify none of those samples.');
      if (sample) {
        setIndex(String(sample.index));
        request(sample.part, sample.index);
      }
    } catch (error) {
      setSearching(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <div className="inspector-toolbar">
      <form
        className="inspector-toolbar__pick"
        onSubmit={(event) => {
          event.preventDefault();
          inspect();
        }}
      >
        <label className="inspector-toolbar__field">
          <span>Part</span>
          <select className="select" value={shownPart} onChange={(event) => setPart(event.target.value as DataPart)}>
            <option value="train">train</option>
            <option value="validation">validation</option>
            <option value="test">test</option>
          </select>
        </label>
        <label className="inspector-toolbar__field">
          <span>Sample</span>
          <input
            className="inspector-toolbar__number"
            inputMode="numeric"
            value={index}
            id="inspect-sample"
            aria-invalid={!valid}
            aria-describedby="inspect-sample-range"
            onChange={(event) => setIndex(event.target.value)}
          />
        </label>
        <button
          type="submit"
          className="button button--primary"
          disabled={!valid || lost !== null}
          title={lost ?? undefined}
        >
          Inspect
        </button>
        <button
          type="button"
          className="button"
          disabled={!confusion || lost !== null}
          title={lost ?? (confusion ? undefined : 'Available after the first epoch (it uses the confusion matrix)')}
          onClick={misclassified}
        >
          A misclassified one
        </button>
      </form>
      <p id="inspect-sample-range" className="inspector-toolbar__hint">
        {count === undefined || dataset.state !== 'ready'
          ? 'Load data and train to inspect a sample.'
          : sampleRangeHint(shownPart, dataset.summary, validationSplit)}
        {searching ? ` ${searching}` : ''}
      </p>
      <label className="inspector-toolbar__field inspector-toolbar__field--inline">
        <span>While training, refresh</span>
        <select
          className="select"
          value={String(cadence)}
          onChange={(event) => {
            const value = event.target.value;
            onCadence(value === 'auto' || value === 'off' ? value : Number(value));
          }}
        >
          {CADENCES.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
