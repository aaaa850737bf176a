/**
 * A network built from a NetworkSpec: the layers in spec order (module i of torch.nn.Sequential is layer i),
 * its loss, and every parameter and buffer under its PyTorch name (layers inside residual blocks by path,
 * "3.body.1.weight"). It runs forward and backward on batches and keeps, for inspection, the last output of
 * every top-level layer and the deltas that flowed back into each.
 *
 * State: `params` are trained; `buffers` (batch norm's running statistics) are state the forward pass updates
 * in training mode and no optimizer touches. getParameters/setParameters move the whole PyTorch state_dict
 * (parameters and buffers), since that is what a weights file holds; getState/setState are the same with names
 * that say so, and getBuffers/setBuffers move the buffers alone.
 */
import { initializeParameters } from './init';
import { createLayer } from './layers/create-layer';
import type { Layer, Mode } from './layers/layer';
import { createLoss } from './losses/create-loss';
import type { Loss } from './losses/loss';
import { type NamedTensors, type Param, readParameters, writeParameters } from './params';
import type { Rng } from './rng';
import { analyzeSpec } from './spec/analyze';
import { formatShape, type SpecIssue } from './spec/issues';
import type { NetworkSpec } from './spec/types';
import { readBuffers, type StateBuffer, writeBuffers } from './state-buffers';
import type { Tensor } from './tensor';

/** A spec that cannot be built; the message lists every error, each naming its layer. */
export class SpecError extends Error {
  /** The spec index of the first layer at fault, or null when the problem is the network as a whole. */
  readonly layer: number | null;

  constructor(readonly issues: readonly SpecIssue[]) {
    super(issues.map((issue) => issue.message).join('\n'));
    this.name = 'SpecError';
    this.layer = issues[0]?.layer ?? null;
  }
}

export class Network {
  readonly layers: readonly Layer[];
  /** Every parameter in state_dict order (weight before bias; a block's body before its shortcut). */
  readonly params: readonly Param[];
  /** Every buffer in state_dict order (running_mean, running_var, num_batches_tracked per batch norm). */
  readonly buffers: readonly StateBuffer[];
  readonly loss: Loss;
  /** Per-sample input shape [C,H,W]. */
  readonly inputShape: readonly number[];
  /** Number of outputs, one per class. */
  readonly classes: number;
  /** activations[i] = output of layer i in the last forward; the last one is the network output. */
  readonly activations: (Tensor | null)[];
  /** deltas[i] = dLoss/d(output of layer i) in the last backward: the deltas layer i received from above. */
  readonly deltas: (Tensor | null)[];

  /**
   * Checks the spec with analyzeSpec (throwing a SpecError), builds the layers and initializes the parameters
   * from `rng` (see init.ts). The network keeps `rng` for dropout masks, so one Rng drives the whole run.
   */
  constructor(
    readonly spec: NetworkSpec,
    readonly rng: Rng,
  ) {
    const errors = analyzeSpec(spec).issues.filter((issue) => issue.severity === 'error');
    if (errors.length > 0) throw new SpecError(errors);
    this.inputShape = [spec.input.channels, spec.input.height, spec.input.width];
    const layers: Layer[] = [];
    let shape = this.inputShape;
    spec.layers.forEach((layerSpec, index) => {
      const layer = createLayer(layerSpec, index, shape, rng);
      layers.push(layer);
      shape = layer.outShape;
    });
    this.layers = layers;
    this.params = layers.flatMap((layer) => layer.params);
    this.buffers = layers.flatMap((layer) => layer.buffers);
    this.classes = shape[0];
    this.loss = createLoss(spec.loss, this.classes);
    this.activations = layers.map(() => null);
    this.deltas = layers.map(() => null);
    initializeParameters(layers, rng);
  }

  /** The network output y [N, classes] for a batch x [N,C,H,W]; it stays valid until the next forward. */
  forward(x: Tensor, mode: Mode): Tensor {
    this.checkInput(x);
    let y = x;
    for (let i = 0; i < this.layers.length; i++) {
      y = this.layers[i].forward(y, mode);
      this.activations[i] = y;
    }
    return y;
  }

  /**
   * Backpropagates dOut = dLoss/d(network output) from the last forward, adding into every parameter's
   * gradient. Returns dLoss/dx when `inputGradient` is true, else null (and skips that last, costly step).
   */
  backward(dOut: Tensor, inputGradient = false): Tensor | null {
    let delta: Tensor | null = dOut;
    for (let i = this.layers.length - 1; i >= 0 && delta !== null; i--) {
      this.deltas[i] = delta;
      delta = this.layers[i].backward(delta, i > 0 || inputGradient);
    }
    return delta;
  }

  zeroGrad(): void {
    for (const param of this.params) param.grad.fill(0);
  }

  /**
   * Copies of the state_dict by PyTorch name ("0.weight", "0.bias", "3.body.1.running_mean", …), ready for a
   * weights file: every parameter, then every buffer.
   */
  getParameters(): NamedTensors {
    return { ...readParameters(this.params), ...readBuffers(this.buffers) };
  }

  /**
   * Loads the state_dict by PyTorch name: every parameter and every buffer must be there with its shape and
   * nothing else; a missing, extra or misshapen tensor is refused with its name (a missing running statistic
   * names its batch norm layer).
   */
  setParameters(values: NamedTensors | ReadonlyMap<string, Tensor>): void {
    const lookup = values instanceof Map ? values : new Map(Object.entries(values));
    const bufferNames = new Set(this.buffers.map((buffer) => buffer.name));
    const parameters = new Map([...lookup].filter(([name]) => !bufferNames.has(name)));
    writeParameters(this.params, parameters);
    writeBuffers(this.buffers, lookup);
  }

  /** The same as getParameters: parameters and buffers, the PyTorch state_dict. */
  getState(): NamedTensors {
    return this.getParameters();
  }

  /** The same as setParameters. */
  setState(values: NamedTensors | ReadonlyMap<string, Tensor>): void {
    this.setParameters(values);
  }

  /** Copies of the buffers alone by name. */
  getBuffers(): NamedTensors {
    return readBuffers(this.buffers);
  }

  /** Loads every buffer by name (other keys are ignored); a missing or misshapen one is refused with its name. */
  setBuffers(values: NamedTensors | ReadonlyMap<string, Tensor>): void {
    writeBuffers(this.buffers, values instanceof Map ? values : new Map(Object.entries(values)));
  }

  /** Throws, naming both shapes, unless x is a batch [N,C,H,W] of this network's input. */
  checkInput(x: Tensor): void {
    const [, c, h, w] = x.shape;
    const [channels, height, width] = this.inputShape;
    if (x.shape.length !== 4 || c !== channels || h !== height || w !== width) {
      throw new Error(
        `input of shape ${formatShape(x.shape)} does not fit the network input [N,${channels},${height},${width}]`,
      );
    }
  }
}

/** Builds and initializes a network; see the Network constructor. */
export function buildNetwork(spec: NetworkSpec, rng: Rng): Network {
  return new Network(spec, rng);
}
