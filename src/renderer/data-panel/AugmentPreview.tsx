/**
 * "What the network sees": with augmentation on, a row of training samples as the trainer's crop and flip draw
 * them (augment-preview.ts), with a button for a new draw. Validation and test samples are never augmented, so
 * they never appear here.
 */
import { useMemo, useState } from 'react';
import type { DatasetSummary } from '../../engine/data/summary';
import { isAugmenting } from '../../engine/trainer/augment';
import { selectTraining } from '../store/document-selectors';
import { useStudio } from '../store/use-studio';
import { describeDraw, drawPreview } from './augment-preview';
import { SampleCanvas } from './SampleCanvas';
import './augment-preview.css';

const THUMBNAIL_PX = 44;

export function AugmentPreview({ summary }: { summary: DatasetSummary }) {
  const { augment, seed } = useStudio(selectTraining);
  const [draw, setDraw] = useState(0);
  const samples = useMemo(
    () => (isAugmenting(augment) ? drawPreview(summary, augment, seed, draw) : []),
    [summary, augment, seed, draw],
  );
  if (!isAugmenting(augment) || samples.length === 0) return null;
  const what = [
    augment.cropPadding > 0 ? `crop with padding ${augment.cropPadding}` : null,
    augment.hflip ? 'flip' : null,
  ]
    .filter((part) => part !== null)
    .join(' + ');
  return (
    <figure className="augment-preview" aria-labelledby="augment-preview-caption" data-testid="augment-preview">
      <figcaption id="augment-preview-caption" className="augment-preview__caption">
        <span>
          What the network sees: training samples after augmentation ({what}), draw {draw + 1}. Validation and test
          samples are never augmented.
        </span>
        <button type="button" className="button" onClick={() => setDraw((n) => n + 1)}>
          New draw
        </button>
      </figcaption>
      <div className="augment-preview__samples">
        {samples.map(({ source, image, drawn }) => {
          const name = summary.classNames[source.label] ?? String(source.label);
          const how = describeDraw(drawn, augment.cropPadding);
          return (
            <span key={`${source.part}-${source.index}`} className="augment-preview__sample" title={`${name}: ${how}`}>
              <SampleCanvas
                image={image}
                label={`training sample ${source.index}, class ${name}, augmented: ${how}`}
                size={THUMBNAIL_PX}
              />
            </span>
          );
        })}
      </div>
    </figure>
  );
}
