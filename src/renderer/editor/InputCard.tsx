/** The top of the stack: the shape of one input image, channels × height × width. */
import type { InputShape } from '../../engine/spec/types';
import { setInput } from '../store/commands';
import { selectEdit, selectInput, selectSealHistory } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { formatOutput } from './format';
import { INPUT_FIELDS } from './layer-fields';
import { NumberField } from './NumberField';

export function InputCard() {
  const input = useStudio(selectInput);
  const edit = useStudio(selectEdit);
  const sealHistory = useStudio(selectSealHistory);
  const commit = (field: keyof InputShape, value: number) =>
    edit((doc) => setInput(doc, { [field]: value }), { coalesceKey: `input.${field}` });

  return (
    <section className="input-card" aria-label="Input">
      <header className="input-card__header">
        <span className="input-card__title">Input</span>
        <span className="shape-badge" title="Shape of one input image (channels × height × width)">
          {formatOutput([input.channels, input.height, input.width])}
        </span>
      </header>
      <div className="fields">
        {INPUT_FIELDS.map((definition) => (
          <NumberField
            key={definition.field}
            label={definition.label}
            unit={definition.unit}
            help={definition.help}
            rule={definition}
            value={input[definition.field]}
            onCommit={(value) => commit(definition.field, value)}
            onDone={sealHistory}
          />
        ))}
      </div>
    </section>
  );
}
