/** The desktop engine and the CLI set the session's memory limit from the machine: half its memory, at most 4 GiB. */
import { describe, expect, it, vi } from 'vitest';
import { nodeSessionHost } from '../../src/node/node-host';

const machine = vi.hoisted(() => ({ totalBytes: 0 }));
vi.mock('node:os', async (original) => ({
  ...(await original<typeof import('node:os')>()),
  totalmem: () => machine.totalBytes,
}));

describe('memory limit of the Node host', () => {
  it.each([
    [2 * 2 ** 30, 2 ** 30],
    [6 * 2 ** 30, 3 * 2 ** 30],
    [64 * 2 ** 30, 4 * 2 ** 30],
  ])('a machine with %d bytes gets a limit of %d', (total, limit) => {
    machine.totalBytes = total;
    expect(nodeSessionHost(() => {}, '/resources').memoryLimitBytes).toBe(limit);
  });
});
