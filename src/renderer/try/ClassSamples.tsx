/** A few training samples of the predicted class beside the prediction; one click tries a sample itself. */
import type { PreviewImage } from '../../engine/data/summary';
import { SampleCanvas } from '../data-panel/SampleCanvas';

const SHOWN = 4;

export function ClassSamples({
  preview,
  label,
  name,
  onTry,
}: {
  preview: readonly PreviewImage[];
  label: number;
  name: string;
  onTry(sample: PreviewImage): void;
}) {
  const samples = preview.filter((sample) => sample.label === label).slice(0, SHOWN);
  if (samples.length === 0) return null;
  return (
    <section className="try-samples" aria-label={`Training samples of ${name}`}>
      <h4 className="map-group__title">A typical {name} from the training data</h4>
      <div className="try-samples__row">
        {samples.map((sample) => (
          <button
            key={`${sample.part}-${sample.index}`}
            type="button"
            className="try-samples__sample"
            title={`Try ${sample.part} sample ${sample.index}`}
            onClick={() => onTry(sample)}
          >
            <SampleCanvas image={sample} label={`${sample.part} sample ${sample.index} (${name})`} size={56} />
          </button>
        ))}
      </div>
    </section>
  );
}
