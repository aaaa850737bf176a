/**
 * Moves keyboard focus to a layer card's handle once React has rendered the edit that put it there.
 * A card moved in the DOM loses focus, and a removed card takes focus with it, so the keyboard commands
 * hand focus on explicitly.
 */
export function focusLayerHandle(index: number): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>(`[data-layer-handle="${index}"]`)?.focus();
  });
}
