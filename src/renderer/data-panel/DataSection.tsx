/**
 * The Data section: the source and how to change it, then what the engine made of it: a loading line, the
 * parse error in plain words, or the facts, a fit check against the network, and the per-class table. A failed
 * load says what failed and that the data loaded before is still in use (the engine keeps it); data a
 * reopened project names but this page does not have is asked for again by name (SourcePicker).
 */

import { checkSpecMatchesData } from '../../engine/spec/analyze';
import { retargetSpec } from '../../engine/spec/templates';
import type { RunController } from '../run/run-controller';
import { heldDataset, isRunActive } from '../run/run-state';
import { useRun } from '../run/run-store';
import { replaceSpec } from '../store/commands';
import { selectDataSource } from '../store/document-selectors';
import { selectEdit, selectSpec } from '../store/selectors';
import { useStudio } from '../store/use-studio';
import { ProblemNote } from '../training/ProblemNote';
import { AugmentPreview } from './AugmentPreview';
import { ClassTable } from './ClassTable';
import { DatasetFacts } from './DatasetFacts';
import { SourcePicker } from './SourcePicker';
import { sourceLabel, sourceTitle } from './source-label';

export function DataSection({ controller }: { controller: RunController }) {
  const source = useStudio(selectDataSource);
  const dataset = useRun((view) => view.dataset);
  const running = useRun((view) => isRunActive(view.run.phase));
  // While another load runs or after one failed, the engine still holds (and shows) the data before it.
  const held = heldDataset(dataset);
  return (
    <section className="section" aria-labelledby="data-heading">
      <header className="section__header">
        <h3 id="data-heading" className="section__title">
          Data
        </h3>
        <span className="section__source" title={sourceTitle(source)} data-testid="data-source">
          {sourceLabel(source)}
        </span>
      </header>
      <SourcePicker
        controller={controller}
        disabled={running}
        missing={dataset.state === 'missing' ? dataset.files : null}
      />
      {running ? (
        <p className="section__note">The data is fixed while a run exists; stop it to change the data.</p>
      ) : null}
      {!window.cnnStudio ? <p className="section__note">Or drop files or a folder anywhere on the window.</p> : null}
      <div className="data-status" data-testid="data-status" data-state={dataset.state}>
        {dataset.state === 'loading' || dataset.state === 'none' ? (
          <p className="section__note">Loading {sourceLabel(dataset.state === 'loading' ? dataset.source : source)}…</p>
        ) : null}
        {dataset.state === 'failed' && dataset.previous ? (
          <>
            <ProblemNote
              problem={dataset.problem}
              onDismiss={() => controller.dismissDataNote()}
              dismissLabel="Keep the previous data"
            />
            <p className="section__note" data-testid="data-kept">
              Nothing changed: the data loaded before ({sourceLabel(source)}) is still loaded and used for training.
            </p>
          </>
        ) : dataset.state === 'failed' ? (
          <ProblemNote
            problem={dataset.problem}
            onDismiss={() => controller.chooseSource(source)}
            dismissLabel="Retry"
          />
        ) : null}
        {held && dataset.state !== 'missing' ? (
          <>
            {held.warnings.map((warning) => (
              <p key={warning} className="section__note section__note--warn">
                {warning}
              </p>
            ))}
            <DatasetFacts summary={held.summary} format={held.format} />
            <FitCheck shape={held.summary.shape} classes={held.summary.classNames.length} />
            <ClassTable summary={held.summary} ownClassNames={held.ownClassNames} />
            <AugmentPreview summary={held.summary} />
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
