/**
 * The middle panel's body: data and training settings scroll, the run bar stays at the foot, so Train is
 * always one click (or Space) away, which is the first thing a new user can do.
 */

import { DataSection } from '../data-panel/DataSection';
import type { RunController } from '../run/run-controller';
import { RunBar } from './RunBar';
import { TrainingSettingsForm } from './TrainingSettingsForm';

export function DataTrainingPanel({ controller }: { controller: RunController }) {
  return (
    <div className="controls">
      <div className="controls__scroll">
        <DataSection controller={controller} />
        <section className="section" aria-labelledby="training-heading">
          <header className="section__header">
            <h3 id="training-heading" className="section__title">
              Training
            </h3>
          </header>
          <TrainingSettingsForm />
        </section>
      </div>
      <RunBar controller={controller} />
    </div>
  );
}
