/** The end of the stack: the loss the network is trained with. */
import { useId } from 'react';
import type { LossName } from '../../engine/spec/types';
import { setLoss } from '../store/commands';
import { selectEdit, selectLoss } from '../store/selectors';
import { useStudio } from '../store/use-studio';

const LOSSES: { name: LossName; title: string; help: string }[] = [
  {
    name: 'softmax-cross-entropy',
    title: 'Softmax cross-entropy',
    help: 'Applies the softmax itself: end with a dense layer, one raw score per class',
  },
  { name: 'mse', title: 'Mean squared error', help: '½·Σ(target − output)² against one-hot targets' },
];

export function LossCard() {
  const loss = useStudio(selectLoss);
  const edit = useStudio(selectEdit);
  const id = useId();
  return (
    <section className="loss-card" aria-label="Loss">
      <label className="loss-card__label" htmlFor={id}>
        Loss
      </label>
      <select
        id={id}
        className="select"
        value={loss}
        title={LOSSES.find((option) => option.name === loss)?.help}
        onChange={(event) => edit((doc) => setLoss(doc, event.currentTarget.value as LossName))}
      >
        {LOSSES.map((option) => (
          <option key={option.name} value={option.name}>
            {option.title}
          </option>
        ))}
      </select>
    </section>
  );
}
