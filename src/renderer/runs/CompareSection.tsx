/**
 * Compare: the ticked runs' loss and accuracy curves overlaid (each in its colour, the legend by run name)
 * and a table of what differs between them (network and settings fields by path) and their best metrics.
 */
import { useMemo } from 'react';
import type { RunSummary } from '../../engine/protocol';
import { ChartLegend } from '../charts/ChartLegend';
import { COMPARE_ACCURACY_CHART, COMPARE_LOSS_CHART } from '../charts/compare-chart-specs';
import { tickedRuns } from '../charts/compare-series';
import { LiveChart } from '../charts/LiveChart';
import { runColor } from '../run/run-color';
import { useRun } from '../run/run-store';
import { type DifferenceRow, describeDifference, runDifferences, runMetrics } from './run-differences';

function Rows({ rows, testId }: { rows: DifferenceRow[]; testId: string }) {
  return rows.map((row) => (
    <tr key={row.field} data-testid={testId} title={describeDifference(row)}>
      <th scope="row">{row.field}</th>
      {row.values.map((value, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one cell per compared run, in the header's order.
        <td key={i}>{value}</td>
      ))}
    </tr>
  ));
}

function DifferencesTable({ runs }: { runs: RunSummary[] }) {
  const differences = useMemo(() => runDifferences(runs), [runs]);
  const metrics = useMemo(() => runMetrics(runs), [runs]);
  return (
    <div className="compare__table-scroll">
      <table className="compare__table" data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">field</th>
            {runs.map((run) => (
              <th key={run.runId} scope="col">
                <span className="run-row__swatch" style={{ background: runColor(run.runId) }} aria-hidden="true" />
                {run.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {differences.length === 0 ? (
            <tr>
              <td colSpan={runs.length + 1} className="compare__same">
                Same network, settings and data: only the runs' randomness or length differs.
              </td>
            </tr>
          ) : (
            <Rows rows={differences} testId="compare-difference" />
          )}
          <tr className="compare__divider">
            <th scope="rowgroup" colSpan={runs.length + 1}>
              best and totals
            </th>
          </tr>
          <Rows rows={metrics} testId="compare-metric" />
        </tbody>
      </table>
    </div>
  );
}

export function CompareSection() {
  const all = useRun((view) => view.runs);
  const list = useRun((view) => view.list);
  const runs = useMemo(() => tickedRuns({ runs: all, list }), [all, list]);
  if (runs.length < 2) {
    return (
      <p className="compare__hint" data-testid="compare-hint">
        Tick two or more runs to compare their curves and what differs between them.
      </p>
    );
  }
  const legend = (
    <ChartLegend items={runs.map((run) => ({ label: run.name, color: runColor(run.runId), kind: 'line' as const }))} />
  );
  return (
    <section className="compare" aria-label="Compare runs" data-testid="compare">
      <h3 className="compare__title">Compare {runs.map((run) => run.name).join(', ')}</h3>
      <p className="compare__key">Lines: training (smoothed) · dots: validation, at the end of each epoch.</p>
      <LiveChart spec={COMPARE_LOSS_CHART} testId="compare-loss" legend={legend} />
      <LiveChart spec={COMPARE_ACCURACY_CHART} testId="compare-accuracy" legend={legend} />
      <DifferencesTable runs={runs} />
    </section>
  );
}
