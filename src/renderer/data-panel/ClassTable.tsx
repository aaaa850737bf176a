/**
 * One row per class: its name, the first preview samples of it (each opens in the inspector), and its sample
 * count as a bar scaled to the largest class, so an unbalanced dataset shows at a glance.
 */
import type { DatasetSummary, PreviewImage } from '../../engine/data/summary';
import type { DataPart } from '../../engine/protocol';
import { useInspectTarget } from '../inspector/inspect-target';
import { SampleCanvas } from './SampleCanvas';

const THUMBNAIL_PX = 30;

export function ClassTable({ summary }: { summary: DatasetSummary }) {
  const request = useInspectTarget((state) => state.request);
  const counts = summary.parts[0]?.classCounts ?? [];
  const largest = Math.max(1, ...counts);
  const previews = new Map<number, PreviewImage[]>();
  for (const image of summary.preview) previews.set(image.label, [...(previews.get(image.label) ?? []), image]);

  return (
    <table className="class-table" aria-label="Samples and counts per class">
      <thead>
        <tr>
          <th scope="col">class</th>
          <th scope="col">samples</th>
          <th scope="col">count ({summary.parts[0]?.name})</th>
        </tr>
      </thead>
      <tbody>
        {summary.classNames.map((name, label) => (
          <tr key={name}>
            <th scope="row" className="class-table__name" title={name}>
              {name}
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
            <td className="class-table__count">
              <span className="count-bar" style={{ width: `${(counts[label] / largest) * 100}%` }} />
              <span className="count-bar__value">{counts[label]?.toLocaleString('en-US')}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
