/**
 * The inspector: for one chosen sample, the forward and the backward pass through every layer of the network
 * being trained, refreshed while training and frozen while paused.
 */
import { useEffect, useRef, useState } from 'react';
import { symmetricScale } from '../../engine/inspect/heat-colors';
import type { EngineClient } from '../engine-client/engine-client';
import { lostReason } from '../run/run-state';
import { useRun } from '../run/run-store';
import { LostRunNote } from '../runs/LostRunNote';
import { ProblemNote } from '../training/ProblemNote';
import { ClassScores } from './ClassScores';
import { formatValue } from './format';
import { InputSubject } from './InputSubject';
import { InspectorToolbar } from './InspectorToolbar';
import { useInspectTarget } from './inspect-target';
import { LayerDetail } from './LayerDetail';
import { tensorMaps } from './layer-maps';
import { MapGrid } from './MapGrid';
import { allLayers } from './nested-layers';
import { type InspectCadence, type InspectedSample, useInspection } from './use-inspection';
import { usePartCounts } from './use-part-counts';
import { useVisible } from './use-visible';
import '../styles/inspector.css';

export function InspectorView({ engine }: { engine: EngineClient }) {
  const target = useInspectTarget((state) => state.target);
  const phase = useRun((view) => view.run.phase);
  const lost = useRun((view) => lostReason(view, view.selectedRunId));
  const dataset = useRun((view) => view.dataset);
  const classNames = dataset.state === 'ready' ? dataset.summary.classNames : [];
  const [cadence, setCadence] = useState<InspectCadence>('auto');
  const root = useRef<HTMLElement>(null);
  // while the inspector is out of sight (the Charts tab is open), the engine need not keep inspecting
  const visible = useVisible(root);
  const counts = usePartCounts();
  const count = target?.kind === 'sample' ? counts[target.part] : undefined;
  const inspection = useInspection(engine, target, visible ? cadence : 'off', phase, count);
  const what = target?.kind === 'input' ? `“${target.title}”` : target ? `${target.part} sample ${target.index}` : '';
  return (
    <section className="inspector" aria-label="Inspector" ref={root}>
      <InspectorToolbar engine={engine} cadence={cadence} onCadence={setCadence} />
      {target?.kind === 'input' && lost === null ? (
        <InputSubject
          target={target}
          classNames={classNames}
          classes={inspection.state === 'ready' ? inspection.sample.inspection.scores.length : null}
        />
      ) : null}
      {lost !== null ? (
        <LostRunNote reason={lost} />
      ) : target === null ? (
        <p className="inspector__empty">
          Pick a sample to inspect: type its number above, press “A misclassified one”, or choose one in the data grid
          or the confusion matrix.
        </p>
      ) : inspection.state === 'failed' ? (
        <ProblemNote problem={inspection.problem} />
      ) : inspection.state === 'ready' ? (
        <InspectedSampleView sample={inspection.sample} paused={phase !== 'running'} classNames={classNames} />
      ) : (
        <p className="inspector__empty">
          {phase === 'idle' || phase === 'starting'
            ? `Train the network (or take one step) to inspect ${what}.`
            : `Inspecting ${what}…`}
        </p>
      )}
    </section>
  );
}

function InspectedSampleView({
  sample,
  paused,
  classNames,
}: {
  sample: InspectedSample;
  paused: boolean;
  classNames: readonly string[];
}) {
  const { inspection, shows } = sample;
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
      {'part' in shows ? (
        <p className="inspector__status" aria-live="polite">
          <strong>
            {shows.part} sample {shows.index}
          </strong>{' '}
          · true {name(inspection.label)} · predicted {name(inspection.predicted)} · loss {formatValue(inspection.loss)}
          {sample.step !== null ? ` · after step ${sample.step}` : ''}
          {paused ? ' · snapshot' : ' · live'}
        </p>
      ) : (
        <p className="inspector__status" aria-live="polite">
          <strong>{shows.input.name}</strong> · predicted {name(inspection.predicted)} · backward pass for{' '}
          {name(inspection.label)} · loss {formatValue(inspection.loss)}
          {sample.which ? ` · ${sample.which} weights` : ''}
          {sample.step !== null ? ` after step ${sample.step}` : ''}
        </p>
      )}
      <ClassScores inspection={inspection} classNames={classNames} labelMark={'part' in shows ? 'true' : 'backward'} />
      <div data-testid="inspected-input">
        <MapGrid
          title={'part' in shows ? 'Input, as the first layer sees it' : 'Your input, as the first layer sees it'}
          maps={tensorMaps(inspection.input.data, inspection.input.shape)}
          scale={symmetricScale([inspection.input.data])}
          target={84}
        />
      </div>
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
        Evaluation mode (dropout off); the loss and gradients are this {'part' in shows ? 'sample' : 'input'}’s alone.
      </p>
    </div>
  );
}
