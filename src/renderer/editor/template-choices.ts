import { type TemplateName, templateSpec } from '../../engine/spec/templates';
import type { NetworkSpec } from '../../engine/spec/types';

/** A template's network, or 'empty': the current input shape and loss with no layers, to build from scratch. */
export function copyOfTemplate(name: TemplateName | 'empty', current: NetworkSpec): NetworkSpec {
  if (name === 'empty') return { input: { ...current.input }, layers: [], loss: current.loss };
  return templateSpec(name);
}
