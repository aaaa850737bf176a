/**
 * Edits of the document's training settings that need more than setTrainingSetting (commands.ts): the
 * learning-rate schedule is a small tagged object, so switching its kind must bring that kind's fields;
 * augmentation is a small object too; stopping early is a number or off; AdamW brings torch's weight decay.
 */
import { OPTIMIZER_DEFAULTS } from '../../engine/optim/optimizer';
import type { Schedule, TrainingSettings } from '../../engine/training-settings';
import type { StudioDocument } from './studio-document';

export type ScheduleType = Schedule['type'];
type StepSchedule = Extract<Schedule, { type: 'step' }>;
type CosineSchedule = Extract<Schedule, { type: 'cosine' }>;
export type ScheduleField = keyof Omit<StepSchedule, 'type'> | keyof Omit<CosineSchedule, 'type'>;

/**
 * What a schedule starts with when chosen: halve every epoch (torch's StepLR has no default step size;
 * its gamma of 0.1 per epoch is too steep for the few epochs people train here), and cosine down to zero.
 */
export const SCHEDULE_STARTS: Record<ScheduleType, Schedule> = {
  constant: { type: 'constant' },
  step: { type: 'step', stepSize: 1, gamma: 0.5 },
  cosine: { type: 'cosine', minLr: 0 },
};

export function setScheduleType(doc: StudioDocument, type: ScheduleType): StudioDocument {
  if (doc.training.schedule.type === type) return doc;
  return { ...doc, training: { ...doc.training, schedule: SCHEDULE_STARTS[type] } };
}

/** A field of the current schedule; asking a schedule for a field it lacks is a programming error. */
export function scheduleValue(schedule: Schedule, field: ScheduleField): number {
  const value = (schedule as Partial<Record<ScheduleField, number>>)[field];
  if (value === undefined) throw new RangeError(`a ${schedule.type} schedule has no field "${field}"`);
  return value;
}

export function setScheduleParam(doc: StudioDocument, field: ScheduleField, value: number): StudioDocument {
  const schedule = doc.training.schedule;
  if (scheduleValue(schedule, field) === value) return doc;
  return { ...doc, training: { ...doc.training, schedule: { ...schedule, [field]: value } as Schedule } };
}

type Augment = TrainingSettings['augment'];

export function setAugment<Key extends keyof Augment>(
  doc: StudioDocument,
  key: Key,
  value: Augment[Key],
): StudioDocument {
  const augment = doc.training.augment;
  if (augment[key] === value) return doc;
  return { ...doc, training: { ...doc.training, augment: { ...augment, [key]: value } } };
}

/**
 * Switches the optimizer. AdamW without weight decay is Adam, so choosing it with no weight decay set brings
 * torch.optim.AdamW's default (0.01), in the same undo step.
 */
export function setOptimizer(doc: StudioDocument, optimizer: TrainingSettings['optimizer']): StudioDocument {
  if (doc.training.optimizer === optimizer) return doc;
  const weightDecay =
    optimizer === 'adamw' && doc.training.weightDecay === 0
      ? OPTIMIZER_DEFAULTS.adamw.weightDecay
      : doc.training.weightDecay;
  return { ...doc, training: { ...doc.training, optimizer, weightDecay } };
}

/** Epochs without improvement that stopping early starts with when switched on. */
export const STOP_EARLY_START = 5;

export function setStopEarly(doc: StudioDocument, on: boolean): StudioDocument {
  if ((doc.training.stopAfterEpochsWithoutImprovement !== null) === on) return doc;
  const stopAfter = on ? STOP_EARLY_START : null;
  return { ...doc, training: { ...doc.training, stopAfterEpochsWithoutImprovement: stopAfter } };
}
