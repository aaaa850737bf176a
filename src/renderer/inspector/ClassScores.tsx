/**
 * The sample's class probabilities (or raw outputs for MSE) as bars, the true class marked (for an input of the
 * user's, which has none, the class the backward pass is for: `labelMark` names it).
 */
import type { Inspection } from '../../engine/inspect/inspection';
import { formatValue } from './format';

export function ClassScores({
  inspection,
  classNames,
  labelMark = 'true',
}: {
  inspection: Inspection;
  classNames: readonly string[];
  labelMark?: string;
}) {
  const probabilities = inspection.lossName === 'softmax-cross-entropy';
  const scores = Array.from(inspection.scores);
  const top = Math.max(...scores.map(Math.abs), 1e-12);
  return (
    <section className="class-scores" aria-label={probabilities ? 'Class probabilities' : 'Network outputs'}>
      <h4 className="map-group__title">{probabilities ? 'Class probabilities' : 'Outputs (MSE: no softmax)'}</h4>
      <ul className="class-scores__list">
        {scores.map((score, k) => {
          const name = classNames[k] ?? String(k);
          const marks = [k === inspection.label ? labelMark : '', k === inspection.predicted ? 'predicted' : '']
            .filter(Boolean)
            .join(', ');
          return (
            <li
              key={name}
              className={`class-scores__row${k === inspection.label ? ' class-scores__row--true' : ''}`}
              aria-label={`${name}: ${probabilities ? `${(score * 100).toFixed(1)}%` : formatValue(score)}${marks ? ` (${marks})` : ''}`}
            >
              <span className="class-scores__name">{name}</span>
              <span className="class-scores__track">
                <span
                  className="class-scores__bar"
                  style={{ width: `${(Math.abs(score) / (probabilities ? 1 : top)) * 100}%` }}
                />
              </span>
              <span className="class-scores__value">
                {probabilities ? `${(score * 100).toFixed(1)}%` : formatValue(score)}
              </span>
              <span className="class-scores__marks">{marks}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
