/**
 * Moves keyboard focus to a layer card's handle once React has rendered the edit that put it there.
 * A card moved in the DOM loses focus, and a removed card takes focus with it, so the keyboard commands
 * hand focus on explicitly.
 */
export function focusLayerHandle(index: number): void {
  focusLayerPath(String(index));
}

/** The same for a card at any depth ("3", "3.body.1"). */
export function focusLayerPath(path: string): void {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>(`[data-layer-path="${path}"]`)?.focus();
  });
}
