/**
 * Soak: one engine session, in one process, trains, pauses, steps, resumes, stops and deletes a run many
 * times. A stopped run keeps copies of its weights and continue-state, but its trainer, network and driver must
 * be garbage-collected (checked with WeakRefs after a forced full GC); once deleted, nothing of it may stay:
 * the heap (JS plus array buffers) must be back where it was within a stated bound, and no timer or immediate
 * may be left behind. Each run holds about 1.6 MB of parameters, gradients and momentum, so keeping even one
 * run per cycle would exceed the bound many times over.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/protocol';
import type { NetworkSpec } from '../../src/engine/spec/types';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';

// vitest runs this file without --expose-gc; the flag still works when set before a new context asks for gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CYCLES = 24;
const WARM_UP = 4;
/** Growth allowed after the cycles: small next to the 1.6 MB one leaked run would add, per cycle. */
const HEAP_BOUND_BYTES = 3 * 2 ** 20;

/** 32 filters over 8×8 into a dense layer of 64: about 131,000 weights, 1.6 MB with gradients and momentum. */
const SOAK_NETWORK: NetworkSpec = {
  ...TOY_NETWORK,
  layers: [
    { type: 'conv2d', filters: 32, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 64 },
    { type: 'relu' },
    { type: 'dense', units: 2 },
  ],
};

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((done) => setImmediate(done));
  gc();
  await new Promise((done) => setImmediate(done));
  gc();
}

function heapBytes(): number {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Timers, immediates and other handles the process holds, by kind. */
function activeResources(): string[] {
  return process.getActiveResourcesInfo().sort();
}

/** Sends a command and waits for the run to report `state`. */
async function commandUntil(harness: SessionHarness, command: EngineEvent | object, state: string): Promise<void> {
  harness.events.length = 0;
  harness.send(command);
  await harness.waitFor('run-state', (event) => event.state === state);
}

async function cycle(harness: SessionHarness, runs: WeakRef<object>[]): Promise<void> {
  await commandUntil(harness, { type: 'train', settings: settings({ epochs: 1000, batchSize: 16 }) }, 'running');
  const run = harness.session.activeRun;
  if (!run) throw new Error('no active run after train');
  const runId = run.record.id;
  runs.push(new WeakRef(run), new WeakRef(run.network), new WeakRef(run.trainer));
  await commandUntil(harness, { type: 'pause' }, 'paused');
  harness.send({ type: 'step' });
  await commandUntil(harness, { type: 'resume' }, 'running');
  await harness.waitFor('progress');
  await commandUntil(harness, { type: 'stop' }, 'stopped');
  await harness.request({ type: 'delete-run', runId }, 'run-deleted');
  harness.events.length = 0;
}

describe('soak: train, pause, step, resume and stop many times in one session', () => {
  it(`runs ${CYCLES} cycles without keeping deleted runs, growing the heap or leaving timers`, async () => {
    const harness = new SessionHarness();
    await harness.ready(SOAK_NETWORK);
    const warmUpRuns: WeakRef<object>[] = [];
    for (let i = 0; i < WARM_UP; i++) await cycle(harness, warmUpRuns);
    await settle();
    const heapBefore = heapBytes();
    const resourcesBefore = activeResources();

    const runs: WeakRef<object>[] = [];
    for (let i = 0; i < CYCLES; i++) await cycle(harness, runs);
    await settle();
    const heapAfter = heapBytes();

    // Every deleted run must be gone (the inspector may hold the last trainer it followed).
    const kept = runs.slice(0, -3).filter((ref) => ref.deref() !== undefined);
    expect(kept.length, 'runs, networks or trainers still reachable').toBe(0);
    expect(warmUpRuns.every((ref) => ref.deref() === undefined)).toBe(true);
    expect(heapAfter - heapBefore, `heap grew from ${heapBefore} to ${heapAfter} bytes`).toBeLessThan(HEAP_BOUND_BYTES);
    expect(activeResources()).toEqual(resourcesBefore);
  });
});
