/** Which focused elements Space already means something to: typing, choosing, pressing a button. */
const OWNS_SPACE = new Set(['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A']);

/** The part of a DOM element this check reads. */
export interface SpaceTarget {
  nodeName?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
}

export function spaceBelongsTo(target: SpaceTarget | null): boolean {
  if (!target?.nodeName) return false;
  return (
    OWNS_SPACE.has(target.nodeName) || target.isContentEditable === true || target.getAttribute?.('role') === 'button'
  );
}
