/**
 * Fuzz: the network spec schema and the engine protocol. Neither may throw on any value: a spec is valid or
 * comes with messages naming what is wrong, a command parses or is answered with a 'bad-message' error, and a
 * mangled but well-formed command gets an error the user can act on, never an internal one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/engine/protocol';
import { analyzeSpec } from '../../src/engine/spec/analyze';
import { parseNetworkSpec } from '../../src/engine/spec/schema';
import { templateSpec } from '../../src/engine/spec/templates';
import { SessionHarness, settings } from '../protocol/session-harness';
import { TOY_NETWORK } from '../protocol/toy-data';
import { runs } from './fuzz-kit';

const template = templateSpec('lenet');

/** A JSON copy of `value` with the value at a random path replaced. */
function replaceAt(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0) return replacement;
  const key = keys[path[0] % keys.length];
  (copy as Record<string, unknown>)[key] = replaceAt(
    (copy as Record<string, unknown>)[key],
    path.slice(1),
    replacement,
  );
  return copy;
}

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e300, 2 ** 53, undefined, null, '', 'a'.repeat(10_000)),
);
const damage = fc.tuple(fc.array(fc.nat(), { maxLength: 4 }), oddValue);

describe('network spec fuzz: valid, or refused with messages that name the problem', () => {
  it('templates with any field replaced, and any JSON at all', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          damage.map(([path, value]) => replaceAt(template, path, value)),
          oddValue,
        ),
        (value) => {
          const parsed = parseNetworkSpec(value);
          if (!parsed.ok) {
            expect(parsed.errors.length).toBeGreaterThan(0);
            for (const issue of parsed.errors) {
              expect(issue.message.length).toBeGreaterThan(10);
              expect(issue.message.length).toBeLessThan(600);
            }
            return;
          }
          const report = analyzeSpec(parsed.spec);
          for (const issue of report.issues) expect(issue.message.length).toBeGreaterThan(10);
        },
      ),
      runs(1000),
    );
  });
});

/** One of every command (run 1 exists once the first train has answered). */
const validCommands: Record<string, unknown>[] = [
  { type: 'ping' },
  { type: 'set-network', spec: TOY_NETWORK },
  { type: 'load-dataset', source: 'toy.npz' },
  { type: 'train', settings: settings({ epochs: 1 }) },
  { type: 'train', runId: 1, continue: { epochs: 1 } },
  { type: 'train', settings: settings({ epochs: 1 }), initialWeights: { runId: 1, which: 'best' } },
  { type: 'step', settings: settings({ epochs: 1 }) },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'set-learning-rate', learningRate: 0.01 },
  { type: 'evaluate', runId: 1, part: 'train' },
  { type: 'find-samples', runId: 1, part: 'train', actual: 0, predicted: 1, limit: 4 },
  { type: 'export', runId: 1, which: 'best', format: 'onnx' },
  { type: 'inspect', runId: 1, part: 'train', index: 0, every: null },
  { type: 'import-weights', fileName: 'w.safetensors', data: new ArrayBuffer(16) },
  { type: 'rename-run', runId: 1, name: 'first' },
  { type: 'delete-run', runId: 2 },
  { type: 'predict', runId: 1, shape: [1, 1, 8, 8], data: new ArrayBuffer(256) },
  { type: 'save-project', document: { network: TOY_NETWORK, dataSource: 'toy.npz', training: settings() } },
];

/** The i-th command of a sequence: a valid one numbered 100 + i, then possibly damaged anywhere (its id too). */
const numbered = fc
  .tuple(fc.nat({ max: validCommands.length - 1 }), fc.option(damage, { freq: 3 }))
  .map(([which, change]) => ({ which, change }));

function commandAt(i: number, { which, change }: { which: number; change: [number[], unknown] | null }): unknown {
  const command = { ...validCommands[which], requestId: 100 + i };
  return change ? replaceAt(command, ...change) : command;
}

describe('protocol fuzz: parseCommand and the session never throw', () => {
  it('parseCommand: any value parses or gets a message naming where it is invalid', () => {
    const mangled = fc.tuple(fc.nat({ max: 20 }), numbered).map(([i, pick]) => commandAt(i, pick));
    fc.assert(
      fc.property(fc.oneof(mangled, oddValue, fc.anything()), (value) => {
        const parsed = parseCommand(value);
        if (!parsed.ok) {
          expect(parsed.message).toMatch(/^invalid engine command/);
          const id = (value as { requestId?: unknown } | null)?.requestId;
          expect(parsed.requestId).toBe(Number.isSafeInteger(id) && (id as number) >= 0 ? id : null);
        }
      }),
      runs(2000),
    );
  });

  it('a session answers every command that carries a valid request id, and no error is an internal one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(numbered, { minLength: 1, maxLength: 6 }), async (picks) => {
        const harness = new SessionHarness();
        await harness.ready();
        const commands = picks.map((pick, i) => commandAt(i, pick));
        for (const command of commands) {
          expect(() => harness.send(command)).not.toThrow();
          await new Promise((done) => setImmediate(done));
        }
        const ids = commands.flatMap((command) => {
          const id = (command as { requestId?: unknown } | null)?.requestId;
          return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? [id] : [];
        });
        const answered = () =>
          new Set(
            harness.events.flatMap((event) =>
              'requestId' in event && event.requestId !== null ? [event.requestId] : [],
            ),
          );
        for (let tick = 0; tick < 500 && !ids.every((id) => answered().has(id)); tick++) {
          await new Promise((done) => setImmediate(done));
        }
        expect(ids.filter((id) => !answered().has(id))).toEqual([]);
        harness.send({ type: 'stop' });
        await new Promise((done) => setImmediate(done));
        const internal = harness.of('error').filter((event) => event.code === 'internal');
        expect(internal).toEqual([]);
      }),
      runs(150),
    );
  });
});
