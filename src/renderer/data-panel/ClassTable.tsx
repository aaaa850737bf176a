/**
 * One row per class: its name (editable: IDX and .npz data have only numbers), the first preview samples of it (each opens in the inspector), and its sample
 * counts per part (train · validation · test with the current split), the training count as a bar scaled to the
 * largest class, so an unbalanced dataset shows at a glance.
 */
import type { DatasetSummary, PreviewImage } from '../../engine/data/summary';
import type { DataPart } from '../../engine/protocol';
import { useInspectTarget } from '../inspector/inspect-target';
import { selectTraining } from '../store/document-selectors';
import { useStudio } from '../store/use-studio';
import { ClassNameField } from './ClassNameField';
import { classSplitCounts } from './class-split-counts';
import { SampleCanvas } from './SampleCanvas';

const THUMBNAIL_PX = 30;

export function ClassTable({ summary, ownClassNames }: { summary: DatasetSummary; ownClassNames: readonly string[] }) {
  const request = useInspectTarget((state) => state.request);
  const { validationSplit } = useStudio(selectTraining);
  const rows = classSplitCounts(summary, validationSplit);
  const showValidation = rows.some((row) => row.validation > 0);
  const showTest = rows.some((row) => row.test > 0);
  const columns = ['train', ...(showValidation ? ['val'] : []), ...(showTest ? ['test'] : [])];
  const largest = Math.max(1, ...rows.map((row) => row.train));
  const n = (value: number) => value.toLocaleString('en-US');
  const previews = new Map<number, PreviewImage[]>();
  for (const image of summary.preview) previews.set(image.label, [...(previews.get(image.label) ?? []), image]);

  return (
    <table className="class-table" aria-label="Samples and counts per class">
      <thead>
        <tr>
          <th scope="col">class</th>
          <th scope="col">samples</th>
          <th scope="col" title="Samples per class in each part with the current validation split">
            {columns.join(' · ')}
          </th>
        </tr>
      </thead>
      <tbody>
        {summary.classNames.map((name, label) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a row is a class number; its name changes as it is typed
          <tr key={label}>
            <th scope="row" className="class-table__name">
              <ClassNameField name={name} label={label} own={ownClassNames} />
            </th>
            <td className="class-table__samples">
              {(previews.get(label) ?? []).map((image) => (
                <button
                  key={image.index}
                  type="button"
                  className="sample-button"
                  title={`Inspect ${image.part} sample ${image.index}`}
                  aria-label={`Inspect ${image.part} sample ${image.index}, class ${name}`}
                  onClick={() => request(image.part as DataPart, image.index)}
                >
                  <SampleCanvas image={image} label={`sample ${image.index}, class ${name}`} size={THUMBNAIL_PX} />
                </button>
              ))}
            </td>
            <td
              className="class-table__count"
              title={`${name}: ${n(rows[label].train)} train, ${n(rows[label].validation)} validation, ${n(rows[label].test)} test`}
            >
              <span className="count-bar" style={{ width: `${(rows[label].train / largest) * 100}%` }} />
              <span className="count-bar__value">
                {[
                  rows[label].train,
                  ...(showValidation ? [rows[label].validation] : []),
                  ...(showTest ? [rows[label].test] : []),
                ]
                  .map(n)
                  .join(' · ')}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
