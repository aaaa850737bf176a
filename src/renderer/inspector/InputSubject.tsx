/**
 * Above an input from the Try panel: what it is (not a dataset sample, and how it was prepared), which class the
 * backward pass is for (the predicted one unless the user picks another), and the way back to dataset samples.
 */
import { type InputTarget, useInspectTarget } from './inspect-target';

const PREPARED = {
  'mnist-style': 'prepared MNIST-style (cropped to the ink, scaled into 20×20, centred by mass)',
  fit: 'resized to the input and centre-cropped',
} as const;

export function InputSubject({
  target,
  classNames,
  classes,
}: {
  target: InputTarget;
  classNames: readonly string[];
  /** The network's outputs, once an inspection says how many; the class picker waits for it. */
  classes: number | null;
}) {
  const pickClass = useInspectTarget((state) => state.pickClass);
  const backToSamples = useInspectTarget((state) => state.backToSamples);
  const lastSample = useInspectTarget((state) => state.lastSample);
  const { preprocess } = target;
  const name = (k: number) => classNames[k] ?? String(k);
  return (
    <section className="inspector-input" aria-label="Inspected input">
      <p className="inspector__hint">
        <strong>{target.title}</strong> from Try, not a dataset sample: {PREPARED[preprocess.mode]}
        {preprocess.invert ? ', inverted' : ''}, through the selected run’s best weights, as Try predicts it.
      </p>
      <div className="inspector-input__controls">
        {classes !== null ? (
          <label className="inspector-toolbar__field inspector-toolbar__field--inline">
            <span>Backward pass for</span>
            <select
              className="select"
              value={target.label === null ? 'predicted' : String(target.label)}
              onChange={(event) => pickClass(event.target.value === 'predicted' ? null : Number(event.target.value))}
            >
              <option value="predicted">the predicted class</option>
              {classIds(classes).map((k) => (
                <option key={k} value={String(k)}>
                  {name(k)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="button" className="button" onClick={backToSamples}>
          {lastSample ? `Back to ${lastSample.part} sample ${lastSample.index}` : 'Back to dataset samples'}
        </button>
      </div>
    </section>
  );
}

function classIds(classes: number): number[] {
  return Array.from({ length: classes }, (_, k) => k);
}
