/** The engine's warnings about the run (vanishing or exploding gradients, dead ReLUs, a stalled loss). */
import { Icon } from '../frame/Icon';
import { layerColor } from '../layer-color';
import { useRun } from '../run/run-store';

export function WarningList() {
  const warnings = useRun((view) => view.warnings);
  return (
    <section className="warnings" aria-label="Training warnings" data-testid="warnings">
      <h3 className="live-chart__title">Warnings</h3>
      {warnings.length === 0 ? (
        <p className="section__note">None so far. The engine watches gradients, ReLUs and the loss as it trains.</p>
      ) : (
        <ul className="warnings__list">
          {warnings.map((warning) => (
            <li
              key={`${warning.code}:${warning.layer}`}
              className="warnings__item"
              style={warning.layer === null ? undefined : { borderLeftColor: layerColor(warning.layer) }}
            >
              <Icon name="warning" className="warnings__icon" />
              <span>
                {warning.message} <span className="warnings__step">(after step {warning.step})</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
