/**
 * The samples of one confusion-matrix cell, as the network sees them now: the image, and its three most
 * probable classes with their probabilities, a page at a time. Each can be opened in the inspector.
 */
import type { SampleView } from '../../engine/protocol';
import { SampleCanvas } from '../data-panel/SampleCanvas';
import { counted } from '../format/plural';
import { useInspectTarget } from '../inspector/inspect-target';
import { SAMPLES_PER_CELL } from '../run/run-controller';
import type { SamplesStatus } from '../run/run-state';
import { ProblemNote } from '../training/ProblemNote';

const SHOWN_CLASSES = 3;

export function MisclassifiedList({
  samples,
  classNames,
  onPage,
}: {
  samples: SamplesStatus;
  classNames: readonly string[];
  /** Asks for the page of the same cell starting at `offset`. */
  onPage: (offset: number) => void;
}) {
  const name = (k: number) => classNames[k] ?? String(k);
  if (samples.state === 'none') {
    return <p className="section__note">Click a red cell of the matrix to see those misclassified samples.</p>;
  }
  const cell = `true ${name(samples.actual)}, predicted ${name(samples.predicted)}`;
  if (samples.state === 'loading') return <p className="section__note">Finding samples ({cell})…</p>;
  if (samples.state === 'failed') return <ProblemNote problem={samples.problem} />;
  const { offset, total } = samples;
  const end = offset + samples.samples.length;
  return (
    <section className="misclassified" aria-label={`Samples: ${cell}`} data-testid="misclassified">
      <div className="misclassified__head">
        <p className="section__note" data-testid="misclassified-range">
          {total === 0
            ? `No ${samples.part} sample is ${cell} with the current weights.`
            : `${offset + 1}–${end} of ${counted(total, `${samples.part} sample`)}, ${cell} (current weights)`}
        </p>
        {total > SAMPLES_PER_CELL ? (
          <span className="misclassified__pages">
            <button
              type="button"
              className="button"
              disabled={offset === 0}
              onClick={() => onPage(Math.max(0, offset - SAMPLES_PER_CELL))}
            >
              Previous
            </button>
            <button type="button" className="button" disabled={end >= total} onClick={() => onPage(end)}>
              Next
            </button>
          </span>
        ) : null}
      </div>
      <ul className="misclassified__list">
        {samples.samples.map((sample) => (
          <SampleRow key={sample.index} sample={sample} name={name} />
        ))}
      </ul>
    </section>
  );
}

function SampleRow({ sample, name }: { sample: SampleView; name: (k: number) => string }) {
  const request = useInspectTarget((state) => state.request);
  const top = sample.probabilities
    .map((p, k) => ({ k, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, SHOWN_CLASSES);
  return (
    <li className="misclassified__item">
      <SampleCanvas image={sample.image} label={`${sample.part} sample ${sample.index}`} size={44} />
      <div className="misclassified__probabilities">
        {top.map(({ k, p }) => (
          <div key={k} className={`probability${k === sample.label ? ' probability--true' : ''}`}>
            <span className="probability__name">{name(k)}</span>
            <span className="probability__bar" style={{ width: `${p * 100}%` }} />
            <span className="probability__value">{(p * 100).toFixed(1)}%</span>
          </div>
        ))}
      </div>
      <button
        type="button"
        className="button misclassified__inspect"
        onClick={() => request(sample.part, sample.index)}
        aria-label={`Inspect ${sample.part} sample ${sample.index}`}
      >
        Inspect
      </button>
    </li>
  );
}
