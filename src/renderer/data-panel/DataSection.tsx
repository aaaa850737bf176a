/**
 * The Data section: the source and how to change it, then what the engine made of it: a loading line, the
 * parse error in plain words, or the facts, a fit check against the network, and the per-class table. A failed
 * load keeps nothing stale on screen but says which source failed and how to go on.
 */

import { checkSpecMatchesData } from '../../engine/spec/analyze';
import { retargetSpec } from '../../engine/spec/templates';
import type { RunController } from '../run/run-controller';
import { isRunActive } from '../run/run-state';
import { useRun } from '../run/run-store';
import { replaceSpec } from '../store/commands';
import { selectDataSource } from '../store/document-selectors';
import { selectEdit, selectSpec } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { ProblemNote } from '../training/ProblemNote';
import { ClassTable } from './ClassTable';
import { DatasetFacts } from './DatasetFacts';
import { SourcePicker } from './SourcePicker';
import { sourceLabel } from './source-label';

export function DataSection({ controller }: { controller: RunController }) {
  const source = useStudio(selectDataSource);
  const dataset = useRun((view) => view.dataset);
  const running = useRun((view) => isRunActive(view.run.phase));
  return (
    <section className="section" aria-labelledby="data-heading">
      <header className="section__header">
        <h3 id="data-heading" className="section__title">
          Data
        </h3>
        <span className="section__source" title={source} data-testid="data-source">
          {sourceLabel(source)}
        </span>
      </header>
      <SourcePicker controller={controller} disabled={running} />
      {running ? (
        <p className="section__note">The data is fixed while a run exists; stop it to change the data.</p>
      ) : null}
      {!window.cnnStudio ? <p className="section__note">Or drop files or a folder anywhere on the window.</p> : null}
      <div className="data-status" data-testid="data-status" data-state={dataset.state}>
        {dataset.state === 'loading' || dataset.state === 'none' ? (
          <p className="section__note">Loading {sourceLabel(dataset.state === 'loading' ? dataset.source : source)}…</p>
        ) : null}
        {dataset.state === 'failed' ? (
          <ProblemNote
            problem={dataset.problem}
            onDismiss={() => controller.chooseSource(source)}
            dismissLabel="Retry"
          />
        ) : null}
        {dataset.state === 'ready' ? (
          <>
            {dataset.warnings.map((warning) => (
              <p key={warning} className="section__note section__note--warn">
                {warning}
              </p>
            ))}
            <DatasetFacts summary={dataset.summary} format={dataset.format} />
            <FitCheck shape={dataset.summary.shape} classes={dataset.summary.classNames.length} />
            <ClassTable summary={dataset.summary} />
          </>
        ) : null}
      </div>
    </section>
  );
}

/** The network's input and output against this data, with a one-click retarget when they differ. */
function FitCheck({ shape, classes }: { shape: { channels: number; height: number; width: number }; classes: number }) {
  const spec = useStudio(selectSpec);
  const edit = useStudio(selectEdit);
  const mismatches = checkSpecMatchesData(spec, shape, classes);
  if (mismatches.length === 0) return null;
  return (
    <div className="fit-check" role="status">
      {mismatches.map((issue) => (
        <p key={issue.message} className="fit-check__message">
          {issue.message}
        </p>
      ))}
      <button
        type="button"
        className="button"
        onClick={() => edit((doc) => replaceSpec(doc, retargetSpec(doc.spec, shape, classes)))}
      >
        Fit the network to this data
      </button>
    </div>
  );
}
