/**
 * The inspector: for one chosen sample, the forward and the backward pass through every layer of the network
 * being trained, refreshed while training and frozen while paused.
 */
import { useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../engine-client/engine-client';
import { useRun } from '../run/run-store';
import { ProblemNote } from '../training/ProblemNote';
import { ClassScores } from './ClassScores';
import { formatValue } from './format';
import { InspectorToolbar } from './InspectorToolbar';
import { useInspectTarget } from './inspect-target';
import { LayerDetail } from './LayerDetail';
import { allLayers } from './nested-layers';
import { type InspectCadence, type InspectedSample, useInspection } from './use-inspection';
import { usePartCounts } from './use-part-counts';
import { useVisible } from './use-visible';
import '../styles/inspector.css';

export function InspectorView({ engine }: { engine: EngineClient }) {
  const target = useInspectTarget((state) => state.target);
  const phase = useRun((view) => view.run.phase);
  const [cadence, setCadence] = useState<InspectCadence>('auto');
  const root = useRef<HTMLElement>(null);
  // while the inspector is out of sight (the Charts tab is open), the engine need not keep inspecting
  const visible = useVisible(root);
  const counts = usePartCounts();
  const count = target ? counts[target.part] : undefined;
  const inspection = useInspection(engine, target, visible ? cadence : 'off', phase, count);
  return (
    <section className="inspector" aria-label="Inspector" ref={root}>
      <InspectorToolbar engine={engine} cadence={cadence} onCadence={setCadence} />
      {target === null ? (
        <p className="inspector__empty">
          Pick a sample to inspect: type its number above, press “A misclassified one”, or choose one in the data grid
          or the confusion matrix.
        </p>
      ) : inspection.state === 'failed' ? (
        <ProblemNote problem={inspection.problem} />
      ) : inspection.state === 'ready' ? (
        <InspectedSampleView sample={inspection.sample} paused={phase !== 'running'} />
      ) : (
        <p className="inspector__empty">
          {phase === 'idle' || phase === 'starting'
            ? `Train the network (or take one step) to inspect ${target.part} sample ${target.index}.`
            : `Inspecting ${target.part} sample ${target.index}…`}
        </p>
      )}
    </section>
  );
}

function InspectedSampleView({ sample, paused }: { sample: InspectedSample; paused: boolean }) {
  const dataset = useRun((view) => view.dataset);
  const classNames = dataset.state === 'ready' ? dataset.summary.classNames : [];
  const { inspection } = sample;
  const [layerPath, setLayerPath] = useState('0');
  const layers = allLayers(inspection);
  const found = layers.find((candidate) => candidate.path === layerPath);
  useEffect(() => {
    if (!found) setLayerPath('0');
  }, [found]);
  const layer = found ?? layers[0];
  const name = (k: number) => classNames[k] ?? String(k);
  return (
    <div className="inspector__sample">
      <p className="inspector__status" aria-live="polite">
        <strong>
          {sample.part} sample {sample.index}
        </strong>{' '}
        · true {name(inspection.label)} · predicted {name(inspection.predicted)} · loss {formatValue(inspection.loss)}
        {sample.step !== null ? ` · after step ${sample.step}` : ''}
        {paused ? ' · snapshot' : ' · live'}
      </p>
      <ClassScores inspection={inspection} classNames={classNames} />
      <p className="inspector__hint">
        Hover a map, or focus it and use the arrow keys, to read its values. Maps in a group share the colour scale:
        blue below 0, red above.
      </p>
      <fieldset className="layer-picker">
        <legend className="layer-picker__legend">Layer</legend>
        {layers.map((l) => (
          <button
            key={l.path}
            type="button"
            className={`layer-picker__layer${l.path === layer.path ? ' layer-picker__layer--on' : ''}`}
            aria-pressed={l.path === layer.path}
            onClick={() => setLayerPath(l.path)}
          >
            {l.path} {l.type}
          </button>
        ))}
      </fieldset>
      <LayerDetail inspection={inspection} layer={layer} />
      <p className="inspector__mode-note">
        Evaluation mode (dropout off); the loss and gradients are this sample’s alone.
      </p>
    </div>
  );
}
