/** The three steps of a session, always in view so a first start knows where to go. */
const STEPS = [
  { title: 'Build', detail: 'the network: drag layers' },
  { title: 'Load', detail: 'a dataset' },
  { title: 'Train', detail: 'and watch the charts' },
] as const;

export function StepsHint() {
  return (
    <ol className="steps" aria-label="Three steps">
      {STEPS.map((step, index) => (
        <li key={step.title} className="steps__step">
          <span className="steps__number" aria-hidden="true">
            {index + 1}
          </span>
          <strong>{step.title}</strong>
          <span className="steps__detail">&nbsp;{step.detail}</span>
        </li>
      ))}
    </ol>
  );
}
