/**
 * The confusion matrix after the latest epoch as a heat map: rows are the true class, columns the predicted
 * one; the shade is the cell's share of its row, blue on the diagonal (right) and red off it (mistakes), so
 * the worst confusions stand out whatever the class sizes. Clicking a cell lists those samples.
 */
import { counted } from '../format/plural';
import type { ConfusionView } from '../run/run-state';

interface Props {
  confusion: ConfusionView;
  classNames: readonly string[];
  selected: { actual: number; predicted: number } | null;
  onSelect(actual: number, predicted: number): void;
}

const PART_TEXT = { train: 'training batches (as trained)', validation: 'validation set', test: 'test set' } as const;

export function ConfusionMatrix({ confusion, classNames, selected, onSelect }: Props) {
  const { matrix } = confusion;
  const names = matrix.map((_, k) => classNames[k] ?? String(k));
  return (
    <figure className="confusion" data-testid="confusion-matrix">
      <figcaption className="live-chart__title">
        Confusion matrix, epoch {confusion.epoch}, {PART_TEXT[confusion.part]}
      </figcaption>
      <div className="confusion__frame">
        <span className="confusion__axis confusion__axis--y">true class</span>
        <div
          className="confusion__grid"
          style={{ gridTemplateColumns: `auto repeat(${matrix.length}, minmax(0, 1fr))` }}
        >
          <span />
          {names.map((name) => (
            <span key={name} className="confusion__head" title={`predicted ${name}`}>
              {name}
            </span>
          ))}
          {matrix.map((row, actual) => {
            const total = row.reduce((sum, count) => sum + count, 0) || 1;
            return [
              <span key={`label-${names[actual]}`} className="confusion__head confusion__head--row">
                {names[actual]}
              </span>,
              ...row.map((count, predicted) => {
                const share = count / total;
                const right = actual === predicted;
                const isSelected = selected?.actual === actual && selected.predicted === predicted;
                const tone = right ? 'var(--accent)' : 'var(--error)';
                return (
                  <button
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positions in a fixed grid
                    key={predicted}
                    type="button"
                    className={`confusion__cell${isSelected ? ' confusion__cell--selected' : ''}${share > 0.55 ? ' confusion__cell--strong' : ''}`}
                    style={{
                      background:
                        count === 0
                          ? undefined
                          : `color-mix(in srgb, ${tone} ${Math.round(12 + share * 88)}%, var(--surface))`,
                    }}
                    disabled={right || count === 0}
                    title={`true ${names[actual]}, predicted ${names[predicted]}: ${count}`}
                    aria-label={`true ${names[actual]}, predicted ${names[predicted]}: ${counted(count, 'sample')}${right || count === 0 ? '' : ', show them'}`}
                    onClick={() => onSelect(actual, predicted)}
                  >
                    {count > 0 ? count : ''}
                  </button>
                );
              }),
            ];
          })}
        </div>
      </div>
      <span className="confusion__axis confusion__axis--x">predicted class</span>
    </figure>
  );
}
