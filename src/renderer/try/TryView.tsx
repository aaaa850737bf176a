/**
 * Results → Try: does the network recognize *my* drawing or photo? A drawing pad (gray inputs) or an image
 * (any input), prepared by the engine exactly as the CLI's `predict` does, the prepared input shown beside
 * it, and the class probabilities updated while drawing. It uses the selected run's best weights (the run
 * being trained, or weights imported here, which become a run of their own and are selected).
 */
import { useEffect, useRef, useState } from 'react';
import type { PreviewImage } from '../../engine/data/summary';
import type { RawImage } from '../../engine/predict/raw-image';
import { toRgba } from '../data-panel/SampleCanvas';
import type { EngineClient } from '../engine-client/engine-client';
import { useInspectTarget } from '../inspector/inspect-target';
import { lostReason, usableSelectedRunId } from '../run/run-state';
import { runStore, useRun } from '../run/run-store';
import { LostRunNote } from '../runs/LostRunNote';
import { selectInput } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { ClassBars, TopClass } from './ClassBars';
import { ClassSamples } from './ClassSamples';
import { DrawingPad } from './DrawingPad';
import { ImagePicker } from './ImagePicker';
import { PreparedView } from './PreparedView';
import { PAD_SIZE, type Stroke, type StrokeTool } from './stroke-raster';
import { TryToolbar } from './TryToolbar';
import { type TryInput, usePrediction } from './use-prediction';
import { WeightsImport } from './WeightsImport';
import '../styles/try.css';

type Source = 'draw' | 'image';

export function TryView({ engine, active }: { engine: EngineClient; active: boolean }) {
  const input = useStudio(selectInput);
  const selected = useRun((view) => view.selectedRunId);
  // A run lost in an engine restart has no weights to predict with: nothing is sent, the note says why.
  const runId = useRun(usableSelectedRunId);
  const lost = useRun((view) => lostReason(view, view.selectedRunId));
  const epochs = useRun((view) => view.epochs.length);
  const dataset = useRun((view) => view.dataset);
  const classNames = dataset.state === 'ready' ? dataset.summary.classNames : [];
  const trained = selected !== null;
  const canDraw = input.channels === 1;
  const [chosen, setSource] = useState<Source>('draw');
  const source: Source = canDraw ? chosen : 'image';
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const [tool, setTool] = useState<StrokeTool>('pen');
  const [picked, setPicked] = useState<RawImage | null>(null);
  const [invert, setInvert] = useState(false);
  const [asDrawing, setAsDrawing] = useState(false);
  const { prediction, submit } = usePrediction(engine);
  const inspectInput = useInspectTarget((state) => state.inspectInput);
  const ink = useRef<{ rgba: Uint8ClampedArray<ArrayBuffer>; empty: boolean } | null>(null);

  /** The drawing as the pad holds it now, prepared MNIST-style by the engine; null while the pad is empty. */
  const drawingInput = (): TryInput | null => {
    const drawn = ink.current;
    if (drawn === null || drawn.empty) return null;
    const data = drawn.rgba.slice().buffer;
    const image: RawImage = { kind: 'rgba', fileName: 'your drawing', width: PAD_SIZE, height: PAD_SIZE, data };
    return { image, preprocess: { mode: 'mnist-style', invert: false } };
  };
  // A copy each time: a transport may transfer (detach) the buffer it sends.
  const imageInput = (): TryInput | null =>
    picked === null
      ? null
      : {
          image: { ...picked, data: picked.data.slice(0) },
          preprocess: { mode: asDrawing ? 'mnist-style' : 'fit', invert },
        };
  const currentInput = () => (source === 'draw' ? drawingInput() : imageInput());
  const submitInput = (input: TryInput | null) => submit(runId === null || input === null ? null : { runId, ...input });
  const submitDrawing = () => submitInput(drawingInput());
  const inspectCurrent = () => {
    const input = currentInput();
    if (input) inspectInput(source === 'draw' ? 'Your drawing' : input.image.fileName, input.image, input.preprocess);
  };
  const submitCurrent = () => submitInput(currentInput());
  const latestSubmit = useRef(submitCurrent);
  latestSubmit.current = submitCurrent;
  // Again whenever the input, its options, the weights (another run, an epoch) or the shape change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each listed value is a reason to predict again
  useEffect(() => latestSubmit.current(), [source, picked, invert, asDrawing, runId, epochs, input]);

  const trySample = (sample: PreviewImage) => {
    const { width, height } = sample;
    setSource('image');
    setAsDrawing(false);
    setInvert(false);
    setPicked({
      kind: 'rgba',
      fileName: `${sample.part} sample ${sample.index}`,
      width,
      height,
      data: toRgba(sample).buffer,
    });
  };

  const name = (k: number) => classNames[k] ?? String(k);
  return (
    <section className="try" aria-label="Try the network">
      <TryToolbar
        source={source}
        canDraw={canDraw}
        onSource={setSource}
        extra={
          <WeightsImport
            engine={engine}
            onImported={(importedRunId) =>
              runStore.getState().dispatch({ type: 'ui:run-selected', runId: importedRunId })
            }
          />
        }
      />
      <div className="try__body">
        <div className="try__input">
          {source === 'draw' ? (
            <>
              <DrawingPad
                strokes={strokes}
                tool={tool}
                onStroke={(stroke) => setStrokes((all) => [...all, stroke])}
                onInk={(rgba, empty) => {
                  ink.current = { rgba, empty };
                  submitDrawing();
                }}
              />
              <div className="try__tools" role="toolbar" aria-label="Drawing tools">
                <button type="button" className="button" aria-pressed={tool === 'pen'} onClick={() => setTool('pen')}>
                  Pen
                </button>
                <button
                  type="button"
                  className="button"
                  aria-pressed={tool === 'eraser'}
                  onClick={() => setTool('eraser')}
                >
                  Eraser
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={strokes.length === 0}
                  onClick={() => setStrokes((all) => all.slice(0, -1))}
                >
                  Undo stroke
                </button>
                <button type="button" className="button" disabled={strokes.length === 0} onClick={() => setStrokes([])}>
                  Clear
                </button>
              </div>
            </>
          ) : (
            <>
              <ImagePicker active={active} onImage={(file) => setPicked({ kind: 'encoded', ...file })} />
              {picked ? <p className="try__file">{picked.fileName}</p> : null}
              <label className="try__option">
                <input type="checkbox" checked={invert} onChange={(event) => setInvert(event.target.checked)} />
                Invert (dark strokes on light paper)
              </label>
              <label className="try__option">
                <input type="checkbox" checked={asDrawing} onChange={(event) => setAsDrawing(event.target.checked)} />
                Prepare as a drawing (MNIST-style: crop to the ink, centre by mass)
              </label>
            </>
          )}
        </div>
        <div className="try__result" aria-live="polite">
          {!trained ? (
            <p className="try__empty">Train the network (or import weights) to try it on your own input.</p>
          ) : lost !== null ? (
            <LostRunNote reason={lost} />
          ) : prediction.state === 'failed' ? (
            <div className="try-problem" role="alert" data-testid="try-problem">
              <p className="try-problem__title">{prediction.message}</p>
              <p className="try-problem__hint">{prediction.hint}</p>
            </div>
          ) : prediction.state === 'ready' ? (
            <>
              <div className="try__seen">
                {prediction.prepared ? (
                  <figure>
                    <PreparedView shape={prediction.prepared.shape} values={prediction.prepared.values} />
                    <figcaption className="try__caption">What the network sees</figcaption>
                  </figure>
                ) : null}
                <div className="try__verdict">
                  <TopClass
                    name={name(prediction.predicted)}
                    probability={prediction.probabilities[prediction.predicted]}
                  />
                  <button
                    type="button"
                    className="button"
                    title="Open the Inspector on this input: every layer's maps, and the backward pass"
                    onClick={inspectCurrent}
                  >
                    Inspect this input
                  </button>
                </div>
              </div>
              <ClassBars
                probabilities={prediction.probabilities}
                predicted={prediction.predicted}
                classNames={classNames}
              />
              {dataset.state === 'ready' ? (
                <ClassSamples
                  preview={dataset.summary.preview}
                  label={prediction.predicted}
                  name={name(prediction.predicted)}
                  onTry={trySample}
                />
              ) : null}
            </>
          ) : (
            <p className="try__empty">
              {source === 'draw' ? 'Draw a digit on the pad.' : 'Choose an image: drop, paste or open a PNG or JPEG.'}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
