/** A layer's editable settings, for a card at any depth: its numbers, and conv2d's bias switch. */
import type { LayerSpec } from '../../engine/spec/types';
import { convHasBias } from '../../engine/spec/types';
import { setConvBias, setLayerParamAt } from '../store/path-commands';
import { selectEdit, selectSealHistory } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { fieldValue, LAYER_FIELDS } from './layer-fields';
import { NumberField } from './NumberField';

export function LayerFields({ path, layer }: { path: string; layer: LayerSpec }) {
  const edit = useStudio(selectEdit);
  const sealHistory = useStudio(selectSealHistory);
  const top = Number.parseInt(path, 10);
  const definitions = LAYER_FIELDS[layer.type] ?? [];
  if (definitions.length === 0) return null;
  return (
    <div className="fields">
      {definitions.map((definition) => (
        <NumberField
          key={definition.field}
          label={definition.label}
          unit={definition.unit}
          help={definition.help}
          rule={definition}
          value={fieldValue(layer, definition.field)}
          onCommit={(value) =>
            edit((doc) => setLayerParamAt(doc, path, definition.field, value), {
              coalesceKey: `layer ${path}.${definition.field}`,
              select: top,
            })
          }
          onDone={sealHistory}
        />
      ))}
      {layer.type === 'conv2d' ? (
        <label
          className="check layer-card__check"
          title="Learn a bias per filter (off before a batch norm, which has its own)"
        >
          <input
            type="checkbox"
            checked={convHasBias(layer)}
            aria-label={`Bias of layer ${path}`}
            onChange={(event) => {
              const bias = event.currentTarget.checked;
              edit((doc) => setConvBias(doc, path, bias), { select: top });
            }}
          />
          bias
        </label>
      ) : null}
    </div>
  );
}
