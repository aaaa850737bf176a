/**
 * The one recovery note after an engine restart (recovery-note-model.ts): for each case, the heading, the lines
 * in their order and the actions, from notices made by the real reducers' actions. What was kept, what was lost
 * and why, and what the user can do must all be said, in one note.
 */
import { describe, expect, it } from 'vitest';
import type { TrainingSettings } from '../../src/engine/protocol';
import type { ConnectionStatus } from '../../src/renderer/engine-client/engine-client';
import {
  continueBlocker,
  type RecoveryNoteModel,
  recoveryNoteModel,
} from '../../src/renderer/recovery/recovery-note-model';
import {
  initialRecoveryView,
  type RecoveryAction,
  type RecoveryNotice,
  reduceRecovery,
} from '../../src/renderer/recovery/recovery-state';
import type { RestoreNotice } from '../../src/renderer/recovery/run-restore';
import type { DatasetStatus } from '../../src/renderer/run/run-state';
import { createStudioStore } from '../../src/renderer/store/studio-store';

const SETTINGS: TrainingSettings = { ...createStudioStore().getState().history.present.training, epochs: 3 };

/** The notice after a run trained `epochs` whole epochs of SETTINGS and the engine then went away. */
function interruptedAfter(epochs: number, settings = SETTINGS, ...more: RecoveryAction[]): RecoveryNotice {
  let view = reduceRecovery(initialRecoveryView(), { type: 'run-starting', continuing: false });
  for (let epoch = 1; epoch <= epochs; epoch++) {
    view = reduceRecovery(view, { type: 'epoch', epoch, checkpoint: new ArrayBuffer(8), settings });
  }
  view = reduceRecovery(view, { type: 'engine-lost', runActive: true });
  for (const action of more) view = reduceRecovery(view, action);
  return view.notice;
}

const NONE: RestoreNotice = { kind: 'none' };
const lostRun1: RestoreNotice = { kind: 'restored', restored: [], rolledBack: [], lost: ['Run 1'], problem: null };
const lines = (note: RecoveryNoteModel | null) => note?.lines.map((line) => [line.kind, line.text]);

describe('the recovery note', () => {
  it('a run lost mid-epoch: one heading, what was kept, what was lost and why, how continuing works', () => {
    const note = recoveryNoteModel(interruptedAfter(1), lostRun1, null);
    expect(note).toMatchObject({
      kind: 'interrupted',
      tone: 'warn',
      heading: 'The engine stopped during epoch 2.',
      continueFrom: 1,
      dismissible: true,
    });
    expect(lines(note)).toEqual([
      ['kept', "Kept: your network, settings and epoch 1's parameters."],
      ['lost', 'Lost: the weights of Run 1, trained after the last save of the runs; only its charts stay.'],
      ['continue', 'Continue trains epochs 2–3 from them as a new run (the optimizer starts afresh).'],
    ]);
  });

  it('names the single epoch left, and says why Continue waits', () => {
    const note = recoveryNoteModel(interruptedAfter(2), lostRun1, 'Restarting the engine…');
    expect(note?.lines.find((line) => line.kind === 'continue')?.text).toMatch(/^Continue trains epoch 3 from/);
    expect(note?.lines.at(-1)).toEqual({ kind: 'waiting', text: 'Restarting the engine…' });
  });

  it('with no epoch finished there is nothing to continue: no button, and it says to press Train', () => {
    const note = recoveryNoteModel(interruptedAfter(0), NONE, 'Restarting the engine…');
    expect(note?.heading).toBe('The engine stopped during epoch 1.');
    expect(note?.continueFrom).toBeNull();
    expect(lines(note)).toEqual([
      ['kept', 'Kept: your network and settings.'],
      ['continue', 'No epoch had finished, so there is nothing to continue: press Train.'],
    ]);
  });

  it("after the run's last epoch the parameters are kept and nothing is left to continue", () => {
    const note = recoveryNoteModel(interruptedAfter(3), NONE, null);
    expect(note?.heading).toBe('The engine stopped during epoch 4.');
    expect(lines(note)).toEqual([['kept', "Kept: your network, settings and epoch 3's parameters (the run's last)."]]);
    expect(note?.continueFrom).toBeNull();
  });

  it("a failed continuation says the engine's words; the runs still being brought back say so", () => {
    const problem = { message: 'The weights do not fit.', hint: 'Press Train to start again.' };
    const notice = interruptedAfter(1, SETTINGS, { type: 'continue-requested' }, { type: 'continue-failed', problem });
    const note = recoveryNoteModel(notice, { kind: 'restoring', runs: 2 }, null);
    expect(lines(note)).toContainEqual(['problem', 'The weights do not fit. Press Train to start again.']);
    expect(lines(note)?.[1]).toEqual(['waiting', 'Bringing the 2 runs back into the restarted engine…']);
  });

  it('while the continued run trains: which epochs it does, and the lost run still named', () => {
    const continued: RecoveryNotice = { kind: 'continued', fromEpoch: 1, totalEpochs: 3 };
    const note = recoveryNoteModel(continued, lostRun1, null);
    expect(note).toMatchObject({
      kind: 'continued',
      tone: 'warn',
      heading: 'Continuing the interrupted run from epoch 1: epoch 1 here is epoch 2 of 3.',
      continueFrom: null,
      dismissible: true,
    });
    expect(lines(note)?.map(([kind]) => kind)).toEqual(['lost']);
    // Alone it is information, and goes when the run ends (not dismissed by hand).
    expect(recoveryNoteModel(continued, NONE, null)).toMatchObject({ tone: 'info', lines: [], dismissible: false });
  });

  it('a restart while nothing trained: which runs came back, which as saved, which were lost', () => {
    const back: RestoreNotice = {
      kind: 'restored',
      restored: ['Run 1', 'Run 2'],
      rolledBack: [],
      lost: [],
      problem: null,
    };
    expect(recoveryNoteModel({ kind: 'none' }, back, null)).toEqual({
      kind: 'restored',
      tone: 'info',
      heading: 'The engine restarted.',
      lines: [{ kind: 'restored', text: 'Back with their weights: Run 1, Run 2.' }],
      continueFrom: null,
      dismissible: true,
    });
    const mixed: RestoreNotice = {
      kind: 'restored',
      restored: ['Run 1'],
      rolledBack: [{ name: 'Run 1', epoch: 2 }],
      lost: ['Run 3', 'Run 4'],
      problem: null,
    };
    const note = recoveryNoteModel({ kind: 'none' }, mixed, null);
    expect(note).toMatchObject({ kind: 'lost', tone: 'warn' });
    expect(lines(note)).toEqual([
      ['restored', 'Back with their weights: Run 1.'],
      ['rolled-back', 'Run 1 is back as saved after epoch 2; later training was lost.'],
      ['lost', 'Lost: the weights of Run 3, Run 4, trained after the last save of the runs; only their charts stay.'],
    ]);
    const unreadable = { ...mixed, restored: [], rolledBack: [], problem: 'bad CRC in runs/1/weights' };
    expect(lines(recoveryNoteModel({ kind: 'none' }, unreadable, null))?.[0]).toEqual([
      'problem',
      'The saved runs could not be read: bad CRC in runs/1/weights.',
    ]);
    expect(recoveryNoteModel({ kind: 'none' }, { kind: 'restoring', runs: 1 }, null)).toMatchObject({
      kind: 'restoring',
      heading: 'Bringing the run back into the restarted engine…',
      dismissible: false,
    });
    expect(recoveryNoteModel({ kind: 'none' }, NONE, null)).toBeNull();
  });
});

describe('what Continue waits for', () => {
  const connected: ConnectionStatus = { state: 'connected', host: 'web worker' };
  const ready = { state: 'ready', source: 'builtin:mnist' } as DatasetStatus;
  it('in order: the engine, the data (the document’s), another run', () => {
    expect(
      continueBlocker({ ...connected, state: 'failed', detail: 'out of memory' }, ready, 'builtin:mnist', 'idle'),
    ).toBe('The engine could not be restarted: out of memory.');
    expect(continueBlocker({ ...connected, state: 'restarting' }, ready, 'builtin:mnist', 'idle')).toBe(
      'Restarting the engine…',
    );
    expect(continueBlocker(connected, { state: 'loading', source: 'builtin:mnist' }, 'builtin:mnist', 'idle')).toBe(
      'Loading the data into the restarted engine…',
    );
    expect(continueBlocker(connected, ready, 'other.npz', 'idle')).toBe('Loading the data into the restarted engine…');
    const failed = { state: 'failed', source: 'builtin:mnist' } as DatasetStatus;
    expect(continueBlocker(connected, failed, 'builtin:mnist', 'idle')).toMatch(/^The data could not be loaded again/);
    expect(continueBlocker(connected, ready, 'builtin:mnist', 'running')).toBe('Another run is under way.');
    expect(continueBlocker(connected, ready, 'builtin:mnist', 'failed')).toBeNull();
  });
});
