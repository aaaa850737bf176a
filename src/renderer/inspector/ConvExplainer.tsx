/**
 * Why a conv layer's gradients are what they are, on this sample's numbers: pick an output and an input
 * channel and which gradient (the weights' or the input's), then step through its worked windows.
 */
import { useState } from 'react';
import type { ConvGeometry } from '../../engine/inspect/conv-explainer';
import type { LayerInspection } from '../../engine/inspect/inspection';
import { InputGradientExplainer } from './InputGradientExplainer';
import { WeightGradientExplainer } from './WeightGradientExplainer';

type Gradient = 'weight' | 'input';

/** The output channel whose deltas are largest: a channel that ReLU silenced for this sample has none to show. */
function strongestOutChannel(layer: LayerInspection): number {
  const [channels] = layer.outShape;
  const plane = layer.delta.data.length / channels;
  let best = 0;
  let bestSum = -1;
  for (let o = 0; o < channels; o++) {
    let sum = 0;
    for (let i = o * plane; i < (o + 1) * plane; i++) sum += Math.abs(layer.delta.data[i]);
    if (sum > bestSum) {
      bestSum = sum;
      best = o;
    }
  }
  return best;
}

export function ConvExplainer({
  layer,
  input,
  sentBack,
}: {
  layer: LayerInspection;
  /** The layer input x: the previous layer's output or the network input. */
  input: Float32Array;
  /** dLoss/dx as the backward pass computed it. */
  sentBack: Float32Array;
}) {
  const [gradient, setGradient] = useState<Gradient>('weight');
  // until the user picks one, the output channel follows the data as it refreshes
  const [o, setO] = useState<number | null>(null);
  const [c, setC] = useState(0);
  if (!layer.conv || !layer.weight || !layer.weightGrad) return null;
  const geometry: ConvGeometry = { inShape: layer.inShape, outShape: layer.outShape, ...layer.conv };
  const [outChannels, inChannels] = layer.weight.shape;
  const channelSelect = (label: string, value: number, count: number, onChange: (value: number) => void) => (
    <label className="explainer__choice">
      {label}
      <select className="select" value={Math.min(value, count - 1)} onChange={(e) => onChange(Number(e.target.value))}>
        {Array.from({ length: count }, (_, k) => String(k)).map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
    </label>
  );
  const oShown = Math.min(o ?? strongestOutChannel(layer), outChannels - 1);
  const cShown = Math.min(c, inChannels - 1);
  return (
    <section className="explainer" aria-label="Backward pass explained">
      <h4 className="map-group__title">Backward pass, explained on this sample</h4>
      <div className="explainer__controls">
        <fieldset className="segmented">
          <legend className="segmented__legend">Gradient</legend>
          {(['weight', 'input'] as const).map((choice) => (
            <button
              key={choice}
              type="button"
              aria-pressed={gradient === choice}
              className={`segmented__option${gradient === choice ? ' segmented__option--on' : ''}`}
              onClick={() => setGradient(choice)}
            >
              {choice === 'weight' ? '∂L/∂W (kernel)' : '∂L/∂x (input)'}
            </button>
          ))}
        </fieldset>
        {channelSelect('out o', oShown, outChannels, setO)}
        {channelSelect('in c', cShown, inChannels, setC)}
      </div>
      {gradient === 'weight' ? (
        <WeightGradientExplainer
          geometry={geometry}
          input={input}
          delta={layer.delta.data}
          weightGrad={layer.weightGrad.data}
          o={oShown}
          c={cShown}
        />
      ) : (
        <InputGradientExplainer
          key={cShown}
          geometry={geometry}
          delta={layer.delta.data}
          weight={layer.weight.data}
          sentBack={sentBack}
          o={oShown}
          c={cShown}
        />
      )}
    </section>
  );
}
