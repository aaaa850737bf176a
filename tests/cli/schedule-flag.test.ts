/** `train --schedule`: constant or cosine annealing to 0, and a clear error for anything else. */
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/options';
import { TRAINING_FLAGS, TRAINING_FLAGS_HELP, trainingSettingsFrom } from '../../src/cli/training-flags';

const settings = (...args: string[]) => trainingSettingsFrom(parseFlags('train', args, TRAINING_FLAGS));

describe('train --schedule', () => {
  it('defaults to a constant learning rate', () => {
    expect(settings().schedule).toEqual({ type: 'constant' });
    expect(settings('--schedule', 'constant').schedule).toEqual({ type: 'constant' });
  });

  it('cosine anneals to 0, as torch CosineAnnealingLR with eta_min 0', () => {
    expect(settings('--schedule', 'cosine', '--warmup', '1').schedule).toEqual({ type: 'cosine', minLr: 0 });
  });

  it('names the flag and the choices for an unknown schedule', () => {
    expect(() => settings('--schedule', 'onecycle')).toThrow(
      'train: --schedule must be constant or cosine, got "onecycle"',
    );
  });

  it('is in the help', () => {
    expect(TRAINING_FLAGS_HELP).toContain('--schedule NAME');
  });
});
