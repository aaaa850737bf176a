import { buildNetwork, evaluate, type NetworkSpec, Rng, Trainer } from '../src/engine';

// 200 tiny 1×4×4 images with one bright pixel: class "top" when it is in the top half.
const rng = new Rng(7);
const pixels = new Float32Array(200 * 16);
const labels = Int32Array.from({ length: 200 }, (_, n) => {
  const spot = rng.nextInt(16);
  pixels[n * 16 + spot] = 1;
  return spot < 8 ? 1 : 0;
});
const data = { count: 200, shape: { channels: 1, height: 4, width: 4 }, pixels, labels, classNames: ['bottom', 'top'] };
const spec: NetworkSpec = {
  input: data.shape,
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
    { type: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 2 },
  ],
  loss: 'softmax-cross-entropy',
};
const network = buildNetwork(spec, rng);
const config = { epochs: 20, batchSize: 16, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } } as const;
new Trainer(network, { train: data }, config).fit();
export const accuracy = evaluate(network, data).accuracy;
console.log(`training accuracy ${(100 * accuracy).toFixed(1)}%`);
