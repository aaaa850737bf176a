/** The dataset in numbers: where from, format, image shape, value type and the train/validation/test sizes. */
import type { DatasetSummary } from '../../engine/data/summary';
import { selectTraining } from '../store/document-selectors';
import { useStudio } from '../store/use-studio';
import { splitSizes } from './split-sizes';

export function DatasetFacts({ summary, format }: { summary: DatasetSummary; format: string }) {
  const { validationSplit } = useStudio(selectTraining);
  const sizes = splitSizes(summary, validationSplit);
  const { channels, height, width } = summary.shape;
  const range =
    summary.dtype === 'uint8'
      ? '0–255, scaled to 0–1'
      : `${summary.valueRange.min.toPrecision(3)} to ${summary.valueRange.max.toPrecision(3)}`;
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    <dl className="facts" data-testid="dataset-facts">
      <div className="facts__item">
        <dt>format</dt>
        <dd>{format}</dd>
      </div>
      <div className="facts__item">
        <dt>image</dt>
        <dd>
          {channels}×{height}×{width}
        </dd>
      </div>
      <div className="facts__item">
        <dt>values</dt>
        <dd>
          {summary.dtype} {range}
        </dd>
      </div>
      <div className="facts__item">
        <dt>classes</dt>
        <dd>{summary.classNames.length}</dd>
      </div>
      <div className="facts__item facts__item--wide">
        <dt>split</dt>
        <dd data-testid="split-sizes">
          {n(sizes.train)} train ·{' '}
          {sizes.testValidates ? `${n(sizes.test)} test (validates)` : `${n(sizes.validation)} validation`}
          {sizes.test > 0 && !sizes.testValidates ? ` · ${n(sizes.test)} test` : ''}
        </dd>
      </div>
    </dl>
  );
}
