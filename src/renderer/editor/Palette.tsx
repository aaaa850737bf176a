/** The layer types, to drag into the stack or add with Enter. */
import { PALETTE_TYPES } from './layer-catalog';
import { PaletteItem } from './PaletteItem';

export function Palette() {
  return (
    <section className="palette" aria-label="Layer palette">
      <ul className="palette__items">
        {PALETTE_TYPES.map((type) => (
          <li key={type}>
            <PaletteItem type={type} />
          </li>
        ))}
      </ul>
      <p className="palette__hint">Drag into the stack, or press Enter to add after the selected layer.</p>
    </section>
  );
}
