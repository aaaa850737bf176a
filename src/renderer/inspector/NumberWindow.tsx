/** A small K×K grid of numbers from a worked example; padding zeros are dimmed, one cell can be emphasized. */
import { formatValue } from './format';

export function NumberWindow({
  title,
  values,
  size,
  padding,
  active,
  onActive,
}: {
  title: string;
  values: readonly number[];
  size: number;
  /** Cells that hold a padding zero rather than a value. */
  padding?: readonly boolean[];
  active: number | null;
  onActive?: (cell: number | null) => void;
}) {
  const positions = Array.from({ length: size }, (_, position) => position);
  return (
    <table className="number-window" aria-label={title}>
      <caption>{title}</caption>
      <tbody>
        {positions.map((row) => (
          <tr key={row}>
            {positions.map((column) => {
              const cell = row * size + column;
              const classes = ['number-window__cell'];
              if (padding?.[cell]) classes.push('number-window__cell--padding');
              if (cell === active) classes.push('number-window__cell--active');
              return (
                <td
                  key={column}
                  className={classes.join(' ')}
                  onMouseEnter={() => onActive?.(cell)}
                  onMouseLeave={() => onActive?.(null)}
                >
                  {formatValue(values[cell])}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
