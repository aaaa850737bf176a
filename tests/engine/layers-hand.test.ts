/** Tiny cases worked out by hand, one per layer and loss, plus the PyTorch edge-case conventions. */
import { describe, expect, it } from 'vitest';
import { Conv2d } from '../../src/engine/layers/conv2d';
import { createLayer } from '../../src/engine/layers/create-layer';
import { MaxPool2d } from '../../src/engine/layers/maxpool2d';
import { createLoss } from '../../src/engine/losses/create-loss';
import { Rng } from '../../src/engine/rng';
import { tensor } from '../../src/engine/tensor';

const noRng = new Rng(0);

function grads(dx: { data: Float32Array } | null): number[] {
  if (dx === null) throw new Error('no input gradient');
  return Array.from(dx.data);
}

describe('conv2d by hand', () => {
  // x = 1..9 in a 3×3 plane, W = [[1,0],[0,−1]], b = 0.5: every output is x[i,j] − x[i+1,j+1] + 0.5 = −3.5
  const x = tensor([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const makeLayer = () => {
    const layer = new Conv2d(0, { type: 'conv2d', filters: 1, kernelSize: 2 }, [1, 3, 3]);
    layer.weight.data.set([1, 0, 0, -1]);
    layer.bias!.data.set([0.5]);
    return layer;
  };

  it('conv2d x=[1,1,3,3] k=2 s=1 p=0 forward', () => {
    expect(Array.from(makeLayer().forward(x).data)).toEqual([-3.5, -3.5, -3.5, -3.5]);
  });

  it('conv2d x=[1,1,3,3] k=2 s=1 p=0 backward', () => {
    const layer = makeLayer();
    layer.forward(x);
    const dx = layer.backward(tensor([1, 1, 2, 2], [1, 1, 1, 1]), true);
    // dW[kh,kw] = sum of the window of x under each kernel tap; db = number of outputs
    expect(Array.from(layer.weight.grad)).toEqual([12, 16, 24, 28]);
    expect(Array.from(layer.bias!.grad)).toEqual([4]);
    // dx = full convolution of the all-ones deltas with W
    expect(grads(dx)).toEqual([1, 1, 0, 1, 0, -1, 0, -1, -1]);
  });

  it('conv2d backward adds into parameter gradients instead of overwriting them', () => {
    const layer = makeLayer();
    layer.forward(x);
    const dy = tensor([1, 1, 2, 2], [1, 1, 1, 1]);
    layer.backward(dy, false);
    layer.backward(dy, false);
    expect(Array.from(layer.weight.grad)).toEqual([24, 32, 48, 56]);
    expect(Array.from(layer.bias!.grad)).toEqual([8]);
  });

  it('conv2d x=[1,1,3,3] k=3 s=1 p=1 zero-pads the border', () => {
    const layer = new Conv2d(0, { type: 'conv2d', filters: 1, kernelSize: 3, padding: 1 }, [1, 3, 3]);
    layer.weight.data.fill(1);
    // each output is the sum of its 3×3 neighbourhood inside the plane
    expect(Array.from(layer.forward(x).data)).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });

  it('conv2d x=[2,3,6,7] k=3 s=2 p=1 equals a true convolution with the kernel rotated 180°', () => {
    const rng = new Rng(3);
    const input = tensor([2, 3, 6, 7]);
    for (let i = 0; i < input.data.length; i++) input.data[i] = rng.nextFloat() - 0.5;
    const layer = new Conv2d(0, { type: 'conv2d', filters: 2, kernelSize: 3, stride: 2, padding: 1 }, [3, 6, 7]);
    for (let i = 0; i < layer.weight.data.length; i++) layer.weight.data[i] = rng.nextFloat() - 0.5;
    const y = layer.forward(input);
    const [outH, outW] = [y.shape[2], y.shape[3]];
    const at = (n: number, c: number, h: number, w: number) =>
      h < 0 || h >= 6 || w < 0 || w >= 7 ? 0 : input.data[((n * 3 + c) * 6 + h) * 7 + w];
    const rotated = (o: number, c: number, kh: number, kw: number) =>
      layer.weight.data[((o * 3 + c) * 3 + (2 - kh)) * 3 + (2 - kw)];
    for (let n = 0; n < 2; n++) {
      for (let o = 0; o < 2; o++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++) {
            // convolution: the kernel slides flipped, (K−1−kh) pairs with input row oh·s − p + kh
            let sum = 0;
            for (let c = 0; c < 3; c++) {
              for (let kh = 0; kh < 3; kh++) {
                for (let kw = 0; kw < 3; kw++)
                  sum += rotated(o, c, 2 - kh, 2 - kw) * at(n, c, oh * 2 - 1 + kh, ow * 2 - 1 + kw);
              }
            }
            expect(y.data[((n * 2 + o) * outH + oh) * outW + ow]).toBeCloseTo(sum, 6);
          }
        }
      }
    }
  });
});

describe('maxpool2d by hand', () => {
  it('maxpool2d x=[1,1,2,2] k=2: a tie goes to the first maximum in row-major order', () => {
    const layer = new MaxPool2d(0, { type: 'maxpool2d', poolSize: 2 }, [1, 2, 2]);
    expect(Array.from(layer.forward(tensor([1, 1, 2, 2], [3, 3, 3, 3])).data)).toEqual([3]);
    expect(layer.winner(0, 0, 0, 0)).toEqual({ h: 0, w: 0 });
    expect(grads(layer.backward(tensor([1, 1, 1, 1], [5]), true))).toEqual([5, 0, 0, 0]);
  });

  it('maxpool2d x=[1,1,2,2] k=2: a later tie in the second row still loses to the first', () => {
    const layer = new MaxPool2d(0, { type: 'maxpool2d', poolSize: 2 }, [1, 2, 2]);
    layer.forward(tensor([1, 1, 2, 2], [1, 4, 4, 2]));
    expect(layer.winner(0, 0, 0, 0)).toEqual({ h: 0, w: 1 });
  });

  it('maxpool2d x=[1,1,3,3] k=2 s=1: overlapping windows sum their deltas at a shared winner', () => {
    const layer = new MaxPool2d(0, { type: 'maxpool2d', poolSize: 2, stride: 1 }, [1, 3, 3]);
    const y = layer.forward(tensor([1, 1, 3, 3], [0, 0, 0, 0, 9, 0, 0, 0, 0]));
    expect(Array.from(y.data)).toEqual([9, 9, 9, 9]);
    expect(Array.from(layer.argmax.subarray(0, 4))).toEqual([4, 4, 4, 4]);
    expect(grads(layer.backward(tensor([1, 1, 2, 2], [1, 2, 3, 4]), true))).toEqual([0, 0, 0, 0, 10, 0, 0, 0, 0]);
  });

  it('maxpool2d x=[2,2,4,4] k=2 records the winner of every window of every channel', () => {
    const layer = new MaxPool2d(0, { type: 'maxpool2d', poolSize: 2 }, [2, 4, 4]);
    const x = tensor([2, 2, 4, 4]);
    x.data[((1 * 2 + 1) * 4 + 3) * 4 + 2] = 1; // sample 1, channel 1, row 3, column 2
    layer.forward(x);
    expect(layer.winner(1, 1, 1, 1)).toEqual({ h: 3, w: 2 });
    expect(layer.winner(1, 1, 0, 0)).toEqual({ h: 0, w: 0 });
  });
});

describe('other layers by hand', () => {
  it('relu x=[1,3]: the derivative at exactly 0 is 0', () => {
    const layer = createLayer({ type: 'relu' }, 0, [3], noRng);
    expect(Array.from(layer.forward(tensor([1, 3], [-1, 0, 2]), 'train').data)).toEqual([0, 0, 2]);
    expect(grads(layer.backward(tensor([1, 3], [7, 7, 7]), true))).toEqual([0, 0, 7]);
  });

  it('flatten x=[1,2,2,2] keeps C,H,W order and shares memory', () => {
    const layer = createLayer({ type: 'flatten' }, 0, [2, 2, 2], noRng);
    const x = tensor([1, 2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]);
    const y = layer.forward(x, 'train');
    expect(y.shape).toEqual([1, 8]);
    expect(y.data).toBe(x.data);
    expect(layer.backward(tensor([1, 8]), true)?.shape).toEqual([1, 2, 2, 2]);
  });

  it('dense x=[1,2] units=2', () => {
    const layer = createLayer({ type: 'dense', units: 2 }, 0, [2], noRng);
    layer.params[0].data.set([1, 2, 3, 4]);
    layer.params[1].data.set([0.5, -1]);
    expect(Array.from(layer.forward(tensor([1, 2], [1, 1]), 'train').data)).toEqual([3.5, 6]);
    expect(grads(layer.backward(tensor([1, 2], [1, 2]), true))).toEqual([7, 10]);
    expect(Array.from(layer.params[0].grad)).toEqual([1, 1, 2, 2]);
    expect(Array.from(layer.params[1].grad)).toEqual([1, 2]);
  });

  it('avgpool2d x=[1,1,2,2] k=2', () => {
    const layer = createLayer({ type: 'avgpool2d', poolSize: 2 }, 0, [1, 2, 2], noRng);
    expect(Array.from(layer.forward(tensor([1, 1, 2, 2], [1, 2, 3, 4]), 'train').data)).toEqual([2.5]);
    expect(grads(layer.backward(tensor([1, 1, 1, 1], [1]), true))).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('sigmoid and tanh at 0', () => {
    const sigmoid = createLayer({ type: 'sigmoid' }, 0, [1], noRng);
    expect(Array.from(sigmoid.forward(tensor([1, 1], [0]), 'train').data)).toEqual([0.5]);
    expect(grads(sigmoid.backward(tensor([1, 1], [1]), true))).toEqual([0.25]);
    const tanh = createLayer({ type: 'tanh' }, 0, [1], noRng);
    expect(Array.from(tanh.forward(tensor([1, 1], [0]), 'train').data)).toEqual([0]);
    expect(grads(tanh.backward(tensor([1, 1], [1]), true))).toEqual([1]);
  });

  it('sigmoid of ±1000 saturates without overflow', () => {
    const sigmoid = createLayer({ type: 'sigmoid' }, 0, [2], noRng);
    expect(Array.from(sigmoid.forward(tensor([1, 2], [-1000, 1000]), 'train').data)).toEqual([0, 1]);
  });

  it('dropout x=[4,1000] p=0.25: inverted scaling in training, identity in evaluation', () => {
    const layer = createLayer({ type: 'dropout', rate: 0.25 }, 0, [1000], new Rng(4));
    const x = tensor([4, 1000], new Array(4000).fill(1));
    const y = layer.forward(x, 'train').data;
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(kept.length / y.length).toBeGreaterThan(0.72);
    expect(kept.length / y.length).toBeLessThan(0.78);
    const dx = grads(layer.backward(tensor([4, 1000], new Array(4000).fill(2)), true));
    dx.forEach((v, i) => {
      expect(v).toBe(y[i] * 2);
    });
    expect(layer.forward(x, 'eval')).toBe(x);
  });
});

describe('losses by hand', () => {
  it('softmax-cross-entropy N=2 K=4 with equal logits is log K, dy = (1/K − onehot)/N', () => {
    const loss = createLoss('softmax-cross-entropy', 4);
    expect(loss.forward(tensor([2, 4]), Int32Array.from([1, 3]))).toBeCloseTo(Math.log(4), 12);
    expect(Array.from(loss.backward().data)).toEqual([0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375]);
  });

  it('softmax-cross-entropy N=1 K=2 stays finite for logits of 1000', () => {
    const loss = createLoss('softmax-cross-entropy', 2);
    expect(loss.forward(tensor([1, 2], [1000, 0]), Int32Array.from([1]))).toBe(1000);
    expect(loss.forward(tensor([1, 2], [1000, 0]), Int32Array.from([0]))).toBe(0);
  });

  it('mse N=1 K=2 is ½·Σ(t − y)² with a one-hot target', () => {
    const loss = createLoss('mse', 2);
    expect(loss.forward(tensor([1, 2], [0.5, 0.5]), Int32Array.from([0]))).toBe(0.25);
    expect(Array.from(loss.backward().data)).toEqual([-0.5, 0.5]);
  });

  it('mse N=2 K=1 averages over samples', () => {
    const loss = createLoss('mse', 1);
    expect(loss.forward(tensor([2, 1], [1, 3]), Int32Array.from([0, 0]))).toBe(1);
    expect(Array.from(loss.backward().data)).toEqual([0, 1]);
  });

  it('a label outside the outputs is refused with its position', () => {
    const loss = createLoss('softmax-cross-entropy', 3);
    expect(() => loss.forward(tensor([2, 3]), Int32Array.from([0, 3]))).toThrow(
      "label 3 (sample 1 of the batch) is outside the network's 3 outputs",
    );
  });
});
