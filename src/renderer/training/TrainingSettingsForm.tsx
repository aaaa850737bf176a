/**
 * Optimizer, learning rate, schedule and warmup, batch size, epochs, validation split, seed, augmentation,
 * which weights to keep, stopping early and the closing test evaluation. Every change is an
 * undoable document edit. While a run exists everything but the learning rate is locked (a disabled
 * fieldset): the engine trains with the settings it started with, and only the rate can change mid-run.
 * Compute (Auto, CPU or GPU) is one of the locked settings; CPU threads sit outside them: a machine preference,
 * not a document setting, free to change at any time.
 */
import type { TrainingSettings } from '../../engine/training-settings';
import { NumberField } from '../editor/NumberField';
import { isRunActive } from '../run/run-state';
import { useRun } from '../run/run-store';
import { setTrainingSetting } from '../store/commands';
import { selectTraining } from '../store/document-selectors';
import { selectEdit, selectSealHistory } from '../store/selectors';
import {
  type ScheduleType,
  scheduleValue,
  setAugment,
  setOptimizer,
  setScheduleParam,
  setScheduleType,
  setStopEarly,
} from '../store/training-commands';
import { useStudio } from '../store/use-studio';
import { ComputeField } from './ComputeField';
import { ThreadsField } from './ThreadsField';
import {
  ADAM_FIELDS,
  ADAMW_WEIGHT_DECAY_FIELD,
  CROP_PADDING_FIELD,
  LEARNING_RATE_FIELD,
  RUN_FIELDS,
  SCHEDULE_FIELDS,
  type SettingField,
  SGD_FIELDS,
  STOP_AFTER_FIELD,
  WARMUP_FIELD,
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
  const weightDecayField = settings.optimizer === 'adamw' ? ADAMW_WEIGHT_DECAY_FIELD : WEIGHT_DECAY_FIELD;
  const schedule = settings.schedule;
  const stopAfter = settings.stopAfterEpochsWithoutImprovement;

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
              onChange={(event) =>
                edit((doc) => setOptimizer(doc, event.currentTarget.value as TrainingSettings['optimizer']))
              }
            >
              <option value="sgd">SGD</option>
              <option value="adam">Adam</option>
              <option value="adamw">AdamW</option>
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
          {numberField(weightDecayField)}
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
          {numberField(WARMUP_FIELD)}
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
          <Check
            label="Random flip"
            checked={settings.augment.hflip}
            onChange={(value) => edit((doc) => setAugment(doc, 'hflip', value))}
          />
        </div>
        <div className="fields">
          <NumberField
            label={CROP_PADDING_FIELD.label}
            unit={CROP_PADDING_FIELD.unit}
            help={CROP_PADDING_FIELD.help}
            rule={CROP_PADDING_FIELD}
            value={settings.augment.cropPadding}
            onCommit={(value) =>
              edit((doc) => setAugment(doc, 'cropPadding', value), { coalesceKey: 'training.augment.cropPadding' })
            }
            onDone={sealHistory}
          />
        </div>
        <div className="training-form__checks">
          <Check
            label="Keep best weights"
            checked={settings.keepBestWeights}
            onChange={(value) => setSetting('keepBestWeights', value)}
          />
          <Check
            label="Stop after N epochs without improvement"
            checked={stopAfter !== null}
            onChange={(value) => edit((doc) => setStopEarly(doc, value))}
          />
          <Check
            label="Evaluate on test set after training"
            checked={settings.evaluateTestAfterTraining}
            onChange={(value) => setSetting('evaluateTestAfterTraining', value)}
          />
        </div>
        {stopAfter !== null ? (
          <div className="fields">
            <NumberField
              label={STOP_AFTER_FIELD.label}
              unit={STOP_AFTER_FIELD.unit}
              help={STOP_AFTER_FIELD.help}
              rule={STOP_AFTER_FIELD}
              value={stopAfter}
              onCommit={(value) => setSetting(STOP_AFTER_FIELD.key, value)}
              onDone={sealHistory}
            />
          </div>
        ) : null}
        <ComputeField />
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
