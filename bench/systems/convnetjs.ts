/** ConvNetJS on a workload: its trainer steps one sample at a time and updates every `batch_size` samples. */
import { createRequire } from 'node:module';
import { randomBatch } from '../random-batch';
import { layerPlan, type Workload } from '../workloads';

interface ConvNetJs {
  Net: new () => { makeLayers(defs: object[]): void };
  Trainer: new (net: object, options: object) => { train(x: object, label: number): void };
  Vol: new (sx: number, sy: number, depth: number, fill: number) => { w: Float64Array };
}

export function convnetjsTrainer(workload: Workload): { step(): void } {
  const convnetjs = createRequire(import.meta.url)('convnetjs') as ConvNetJs;
  const { channels, height, width } = workload.spec.input;
  const defs: object[] = [{ type: 'input', out_sx: width, out_sy: height, out_depth: channels }];
  const plan = layerPlan(workload);
  plan.forEach((layer, i) => {
    const activation = plan[i + 1]?.type === 'relu' ? 'relu' : undefined;
    if (layer.type === 'conv2d') {
      defs.push({
        type: 'conv',
        sx: layer.kernelSize,
        filters: layer.filters,
        stride: 1,
        pad: layer.padding ?? 0,
        activation,
      });
    } else if (layer.type === 'maxpool2d') {
      defs.push({ type: 'pool', sx: layer.poolSize, stride: layer.poolSize });
    } else if (layer.type === 'dense') {
      defs.push(
        i === plan.length - 1
          ? { type: 'softmax', num_classes: layer.units }
          : { type: 'fc', num_neurons: layer.units, activation },
      );
    }
  });
  const net = new convnetjs.Net();
  net.makeLayers(defs);
  const trainer = new convnetjs.Trainer(net, {
    method: 'sgd',
    learning_rate: 0.01,
    batch_size: workload.batch,
    momentum: 0,
  });
  const batch = randomBatch(workload);
  const plane = height * width;
  const samples = Array.from({ length: workload.batch }, (_, n) => {
    const vol = new convnetjs.Vol(width, height, channels, 0);
    // ConvNetJS stores (x, y, d) with depth fastest
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) vol.w[p * channels + c] = batch.pixels[(n * channels + c) * plane + p];
    }
    return vol;
  });
  return {
    step() {
      for (let n = 0; n < workload.batch; n++) trainer.train(samples[n], batch.labels[n]);
    },
  };
}
