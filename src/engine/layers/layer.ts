/**
 * The contract every layer follows. A layer owns its output and input-gradient buffers (reused step to step)
 * and keeps from forward what its backward needs. backward returns dLoss/dInput and ADDS into its parameters'
 * gradients, so gradients of several batches can be summed; clearing them is a separate step (zeroGrad).
 */
import type { Param } from '../params';
import type { LayerType } from '../spec/types';
import type { StateBuffer } from '../state-buffers';
import type { Tensor } from '../tensor';

/** Training mode draws dropout masks; evaluation mode makes dropout the identity. */
export type Mode = 'train' | 'eval';

export interface Layer {
  readonly type: LayerType;
  /**
   * Position in the spec, which is also the module index in torch.nn.Sequential; for a layer inside a residual
   * block, the block's index.
   */
  readonly index: number;
  /** "3", or "3.body.1" inside a block (spec/paths.ts): the prefix of its state_dict keys and its name in messages. */
  readonly path: string;
  /** Per-sample input shape: [C,H,W] or [F]. */
  readonly inShape: readonly number[];
  /** Per-sample output shape: [C,H,W] or [F]. */
  readonly outShape: readonly number[];
  /** Trainable tensors in PyTorch order (weight, bias); empty for layers without parameters. */
  readonly params: readonly Param[];
  /** State that is saved but never trained (batch norm's running statistics); optimizers never see it. */
  readonly buffers: readonly StateBuffer[];
  /** The layers inside a block, in state_dict order (body, then shortcut); empty for a plain layer. */
  readonly children: readonly Layer[];
  /**
   * y = layer(x) for a batch x [N, ...inShape]. The result lives in the layer's own buffer (or aliases x for
   * layers that only reshape) and stays valid until the next forward.
   */
  forward(x: Tensor, mode: Mode): Tensor;
  /**
   * Given dy = dLoss/dy for the last forward, adds dLoss/dθ into the parameter gradients and returns
   * dx = dLoss/dx, or null when `needInputGrad` is false (the first layer need not compute it).
   */
  backward(dy: Tensor, needInputGrad: boolean): Tensor | null;
}

/** What a forward pass kept for backward; backward without a forward is a programming error. */
export function keptFromForward(input: Tensor | null, path: number | string): Tensor {
  if (input === null) throw new Error(`layer ${path}: backward called before forward`);
  return input;
}

/** Every layer that computes something itself (not a block), depth first in state_dict order. */
export function leafLayers(layers: readonly Layer[]): Layer[] {
  return layers.flatMap((layer) => (layer.children.length > 0 ? leafLayers(layer.children) : [layer]));
}
