/** The most probable class, large, with its probability. */
export function TopClass({ name, probability }: { name: string; probability: number }) {
  return (
    <p className="try-bars__top" data-testid="top-class">
      <span className="try-bars__top-name">{name}</span>
      <span className="try-bars__top-value">{(100 * probability).toFixed(1)}%</span>
    </p>
  );
}

/** One probability bar per class with its name, the predicted one marked. */
export function ClassBars({
  probabilities,
  predicted,
  classNames,
}: {
  probabilities: Float32Array;
  predicted: number;
  classNames: readonly string[];
}) {
  const name = (k: number) => classNames[k] ?? String(k);
  return (
    <section className="try-bars" aria-label="Prediction">
      <ul className="class-scores__list">
        {Array.from(probabilities, (probability, k) => (
          <li
            key={name(k)}
            className={`class-scores__row try-bars__row${k === predicted ? ' class-scores__row--true' : ''}`}
            aria-label={`${name(k)}: ${(100 * probability).toFixed(1)}%`}
          >
            <span className="class-scores__name">{name(k)}</span>
            <span className="class-scores__track">
              <span className="class-scores__bar" style={{ width: `${100 * probability}%` }} />
            </span>
            <span className="class-scores__value">{(100 * probability).toFixed(1)}%</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
