/**
 * Optimizer, learning rate and schedule, batch size, epochs, validation split and seed. Every change is an
 * undoable document edit. While a run exists everything but the learning rate is locked (a disabled
 * fieldset): the engine trains with the settings it started with, and only the rate can change mid-run.
 * CPU threads sit outside it: a machine preference, not a document setting, free to change at any time.
 */
import type { TrainingSettings } from '../../engine/training-settings';
import { NumberField } from '../editor/NumberField';
import { isRunActive } from '../run/run-state';
import { useRun } from '../run/run-store';
import { setTrainingSetting } from '../store/commands';
import { selectTraining } from '../store/document-selectors';
import { selectEdit, selectSealHistory } from '../store/selectors';
import { type ScheduleType, scheduleValue, setScheduleParam, setScheduleType } from '../store/training-commands';
import { useStudio } from '../store/use-studio';
import { ThreadsField } from './ThreadsField';
import {
  ADAM_FIELDS,
  LEARNING_RATE_FIELD,
  RUN_FIELDS,
  SCHEDULE_FIELDS,
  type SettingField,
  SGD_FIELDS,
  WEIGHT_DECAY_FIELD,
} from './training-fields';

const SCHEDULES: { type: ScheduleType; label: string }[] = [
  { type: 'constant', label: 'Constant' },
  { type: 'step', label: 'Step decay' },
  { type: 'cosine', label: 'Cosine' },
];

export function TrainingSettingsForm() {
  const settings = useStudio(selectTraining);
  const edit = useStudio(selectEdit);
  const sealHistory = useStudio(selectSealHistory);
  const locked = useRun((view) => isRunActive(view.run.phase));

  const setSetting = <Key extends keyof TrainingSettings>(key: Key, value: TrainingSettings[Key]) =>
    edit((doc) => setTrainingSetting(doc, key, value), { coalesceKey: `training.${key}` });
  const numberField = (field: SettingField<keyof TrainingSettings>) => (
    <NumberField
      key={field.key}
      label={field.label}
      unit={field.unit}
      help={field.help}
      rule={field}
      value={settings[field.key] as number}
      onCommit={(value) => setSetting(field.key, value)}
      onDone={sealHistory}
    />
  );
  const optimizerFields = settings.optimizer === 'sgd' ? SGD_FIELDS : ADAM_FIELDS;
  const schedule = settings.schedule;

  return (
    <div className="training-form">
      <div className="fields training-form__rate">{numberField(LEARNING_RATE_FIELD)}</div>
      {locked ? (
        <p className="section__note training-form__lock-note">
          The learning rate can change mid-run; the other settings wait until the run stops.
        </p>
      ) : null}
      <fieldset className="training-form__locked" disabled={locked} aria-label="Settings fixed for the length of a run">
        <div className="training-form__row">
          <label className="training-form__choice">
            <span className="field__label">optimizer</span>
            <select
              className="select"
              value={settings.optimizer}
              onChange={(event) => setSetting('optimizer', event.currentTarget.value as TrainingSettings['optimizer'])}
            >
              <option value="sgd">SGD</option>
              <option value="adam">Adam</option>
            </select>
          </label>
          <label className="training-form__choice">
            <span className="field__label">schedule</span>
            <select
              className="select"
              value={schedule.type}
              onChange={(event) => {
                const type = event.currentTarget.value as ScheduleType;
                edit((doc) => setScheduleType(doc, type));
              }}
            >
              {SCHEDULES.map((option) => (
                <option key={option.type} value={option.type}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="fields">
          {optimizerFields.map(numberField)}
          {numberField(WEIGHT_DECAY_FIELD)}
          {schedule.type !== 'constant'
            ? SCHEDULE_FIELDS[schedule.type].map((field) => (
                <NumberField
                  key={field.key}
                  label={field.label}
                  unit={field.unit}
                  help={field.help}
                  rule={field}
                  value={scheduleValue(schedule, field.key)}
                  onCommit={(value) =>
                    edit((doc) => setScheduleParam(doc, field.key, value), { coalesceKey: `schedule.${field.key}` })
                  }
                  onDone={sealHistory}
                />
              ))
            : null}
        </div>
        <div className="fields">{RUN_FIELDS.map(numberField)}</div>
        <div className="training-form__checks">
          {settings.optimizer === 'sgd' ? (
            <Check label="Nesterov" checked={settings.nesterov} onChange={(value) => setSetting('nesterov', value)} />
          ) : null}
          <Check label="Shuffle" checked={settings.shuffle} onChange={(value) => setSetting('shuffle', value)} />
          <Check
            label="Normalize inputs"
            checked={settings.normalize}
            onChange={(value) => setSetting('normalize', value)}
          />
        </div>
      </fieldset>
      <ThreadsField />
    </div>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange(value: boolean): void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      {label}
    </label>
  );
}
