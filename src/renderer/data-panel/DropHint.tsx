/** Covers the window while files are dragged over it, saying what a drop will do. */
export function DropHint() {
  return (
    <div className="drop-hint" aria-hidden="true">
      <p className="drop-hint__text">Drop files or a folder to load them as the dataset</p>
    </div>
  );
}
