/**
 * A number input that commits only values its rule accepts. While the typed text is not acceptable it
 * stays in the field with a message under it and the document keeps its last good value; leaving the
 * field drops the bad text. A change from elsewhere (undo, a fix) replaces a draft it contradicts.
 */
import { type ChangeEvent, useId, useState } from 'react';
import { checkNumber, describeRule, type NumberRule } from './number-rule';

interface NumberFieldProps {
  label: string;
  unit: string;
  help: string;
  rule: NumberRule;
  value: number;
  onCommit(value: number): void;
  /** Called when the field loses focus (the end of one typing run). */
  onDone(): void;
}

export function NumberField({ label, unit, help, rule, value, onCommit, onDone }: NumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [seenValue, setSeenValue] = useState(value);
  if (seenValue !== value) {
    setSeenValue(value);
    if (draft !== null && Number(draft) !== value) {
      setDraft(null);
      setProblem(null);
    }
  }

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.currentTarget;
    setDraft(input.value);
    const checked = checkNumber(input.value, rule, input.validity.badInput);
    setProblem(checked.ok ? null : `${label} ${checked.message}`);
    if (checked.ok) onCommit(checked.value);
  };

  const onBlur = () => {
    setDraft(null);
    setProblem(null);
    onDone();
  };

  const problemId = `${id}-problem`;
  return (
    <div className={`field${problem ? ' field--invalid' : ''}`}>
      <label className="field__label" htmlFor={id} title={`${help}; ${describeRule(rule)}`}>
        {label}
      </label>
      <div className="field__control">
        <input
          id={id}
          className="field__input"
          type="number"
          inputMode={rule.integer ? 'numeric' : 'decimal'}
          min={rule.min}
          max={rule.maxExclusive ? rule.max - rule.step : rule.max}
          step={rule.step}
          value={draft ?? String(value)}
          aria-invalid={problem !== null}
          aria-describedby={problem ? problemId : undefined}
          onChange={onChange}
          onBlur={onBlur}
        />
        {unit ? <span className="field__unit">{unit}</span> : null}
      </div>
      {problem ? (
        <p id={problemId} className="field__problem" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
