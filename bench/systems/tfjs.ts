/**
 * TensorFlow.js peers (CPU backend and WASM backend, both single-threaded under Node) on a workload, NHWC.
 * The WASM backend has no Conv2DBackpropFilter kernel, so conv2d is wrapped in a custom gradient whose filter
 * gradient is built from kernels both backends have: for every kernel offset (kh, kw), the input window it
 * touches (a slice of the padded input) times dy, dW[kh,kw] = windowᵀ · dy, K² matMuls in all. The CPU backend
 * uses the same construction, since its own filter gradient is an order of magnitude slower (issue 9 reports both).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { randomBatch } from '../random-batch';
import { layerPlan, type Workload } from '../workloads';

export type TfjsBackend = 'cpu' | 'wasm';

function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, kernel: number, pad: number): tf.Tensor4D {
  const [, outHeight, outWidth, filters] = dy.shape;
  const channels = x.shape[3];
  const padded =
    pad > 0
      ? tf.pad(x, [
          [0, 0],
          [pad, pad],
          [pad, pad],
          [0, 0],
        ])
      : x;
  const dyRows = dy.reshape([-1, filters]);
  const offsets: tf.Tensor2D[] = [];
  for (let kh = 0; kh < kernel; kh++) {
    for (let kw = 0; kw < kernel; kw++) {
      const window = padded.slice([0, kh, kw, 0], [-1, outHeight, outWidth, channels]).reshape([-1, channels]);
      offsets.push(tf.matMul(window as tf.Tensor2D, dyRows as tf.Tensor2D, true, false));
    }
  }
  return tf.stack(offsets).reshape([kernel, kernel, channels, filters]);
}

function conv2dWithFilterGradient(kernel: number, pad: number) {
  const padding = pad === 0 ? 'valid' : 'same';
  return tf.customGrad((x, w, save) => {
    const input = x as tf.Tensor4D;
    const weight = w as tf.Tensor4D;
    (save as (tensors: tf.Tensor[]) => void)([input, weight]);
    return {
      value: tf.conv2d(input, weight, 1, padding),
      gradFunc: (dy, saved) => {
        const [savedX, savedW] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dyConv = dy as tf.Tensor4D;
        return [
          tf.conv2dTranspose(dyConv, savedW, savedX.shape, 1, padding),
          filterGradient(savedX, dyConv, kernel, pad),
        ];
      },
    };
  });
}

export async function tfjsTrainer(
  workload: Workload,
  backend: TfjsBackend,
): Promise<{ step(): void; dispose(): void }> {
  await tf.setBackend(backend);
  await tf.ready();
  const { channels, height, width } = workload.spec.input;
  const batch = randomBatch(workload);
  const x = tf.tensor(batch.pixels, [workload.batch, channels, height, width]).transpose([0, 2, 3, 1]);
  const onehot = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), batch.classes);
  let shape: number[] = [height, width, channels];
  const variables: tf.Variable[] = [];
  const ops: ((input: tf.Tensor) => tf.Tensor)[] = [];
  for (const layer of layerPlan(workload)) {
    if (layer.type === 'conv2d') {
      const kernel = layer.kernelSize ?? 1;
      const pad = layer.padding ?? 0;
      const filters = layer.filters ?? 1;
      const w = tf.variable(
        tf.randomNormal([kernel, kernel, shape[2], filters], 0, Math.sqrt(2 / (kernel * kernel * shape[2]))),
      );
      const b = tf.variable(tf.zeros([filters]));
      variables.push(w, b);
      const conv = conv2dWithFilterGradient(kernel, pad);
      ops.push((input) => tf.add(conv(input, w), b));
      shape = [shape[0] + 2 * pad - kernel + 1, shape[1] + 2 * pad - kernel + 1, filters];
    } else if (layer.type === 'relu') {
      ops.push((input) => tf.relu(input));
    } else if (layer.type === 'maxpool2d') {
      const pool = layer.poolSize ?? 2;
      ops.push((input) => tf.maxPool(input as tf.Tensor4D, pool, pool, 'valid'));
      shape = [Math.floor(shape[0] / pool), Math.floor(shape[1] / pool), shape[2]];
    } else if (layer.type === 'flatten') {
      // flatten in C,H,W order like the engine, so the dense weights mean the same thing
      ops.push((input) => input.transpose([0, 3, 1, 2]).reshape([workload.batch, -1]));
      shape = [shape[0] * shape[1] * shape[2]];
    } else {
      const units = layer.units ?? 1;
      const w = tf.variable(tf.randomNormal([shape[0], units], 0, Math.sqrt(2 / shape[0])));
      const b = tf.variable(tf.zeros([units]));
      variables.push(w, b);
      ops.push((input) => tf.add(tf.matMul(input as tf.Tensor2D, w), b));
      shape = [units];
    }
  }
  const optimizer = tf.train.sgd(0.01);
  const loss = () => {
    let y: tf.Tensor = x;
    for (const op of ops) y = op(y);
    return tf.losses.softmaxCrossEntropy(onehot, y) as tf.Scalar;
  };
  return {
    step() {
      tf.tidy(() => {
        optimizer.minimize(loss, false, variables);
      });
    },
    dispose() {
      tf.dispose([x, onehot, ...variables]);
      optimizer.dispose();
    },
  };
}
