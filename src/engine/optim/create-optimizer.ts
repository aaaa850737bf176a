import type { Param } from '../params';
import { Adam } from './adam';
import type { Optimizer, OptimizerConfig } from './optimizer';
import { Sgd } from './sgd';

export function createOptimizer(params: readonly Param[], config: OptimizerConfig): Optimizer {
  switch (config.type) {
    case 'sgd':
      return new Sgd(params, config);
    case 'adam':
    case 'adamw':
      return new Adam(params, config);
    default:
      throw new Error(
        `unknown optimizer ${JSON.stringify((config as { type?: unknown }).type)}; use "sgd", "adam" or "adamw"`,
      );
  }
}
