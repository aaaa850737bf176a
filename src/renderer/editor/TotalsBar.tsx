/** Under the stack: the whole network's parameters, FLOPs and output, and whether it is ready to train. */
import { selectReport } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { formatCount, formatOutput } from './format';

export function TotalsBar() {
  const { report } = useStudio(selectReport);
  const errors = report.issues.filter((issue) => issue.severity === 'error').length;
  const warnings = report.issues.length - errors;
  const state = errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'ok';

  return (
    <div className="totals">
      <dl className="totals__numbers">
        <div
          title={report.totalParams === null ? undefined : `${report.totalParams.toLocaleString('en-US')} parameters`}
        >
          <dt>Parameters</dt>
          <dd data-testid="total-params">{report.totalParams === null ? '?' : formatCount(report.totalParams)}</dd>
        </div>
        <div title="Forward FLOPs per sample (a multiply-add counts 2)">
          <dt>FLOPs</dt>
          <dd data-testid="total-flops">{report.totalFlops === null ? '?' : formatCount(report.totalFlops)}</dd>
        </div>
        <div title="Output shape of one sample">
          <dt>Output</dt>
          <dd data-testid="total-output">{formatOutput(report.outputShape)}</dd>
        </div>
      </dl>
      <output className={`readiness readiness--${state}`} data-testid="readiness">
        {errors > 0 ? plural(errors, 'error') : warnings > 0 ? plural(warnings, 'warning') : 'Ready to train'}
      </output>
    </div>
  );
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
