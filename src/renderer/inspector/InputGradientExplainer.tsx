/**
 * dX at one input position as the full convolution of the deltas with the kernel rotated by 180°: for the
 * chosen output channel, the K×K window of padded deltas under rot180(W), their products summed, and the sum
 * over output channels checked against the deltas the backward pass sent back.
 */
import { useState } from 'react';
import { type ConvGeometry, inputGradientWindow } from '../../engine/inspect/conv-explainer';
import { symmetricScale } from '../../engine/inspect/heat-colors';
import { formatValue } from './format';
import { MapGrid } from './MapGrid';
import { NumberWindow } from './NumberWindow';
import { StepControls } from './StepControls';

/** The input position where output channel o contributes most to dX: its window there is not all zeros. */
function largestShare(delta: Float32Array, weight: Float32Array, geometry: ConvGeometry, o: number, c: number): number {
  const [, height, width] = geometry.inShape;
  let best = 0;
  let bestShare = -1;
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const share = Math.abs(inputGradientWindow(delta, weight, geometry, { c, i, j }).channels[o].partial);
      if (share > bestShare) {
        bestShare = share;
        best = i * width + j;
      }
    }
  }
  return best;
}

export function InputGradientExplainer({
  geometry,
  delta,
  weight,
  sentBack,
  o,
  c,
}: {
  geometry: ConvGeometry;
  delta: Float32Array;
  weight: Float32Array;
  /** dLoss/d(layer input) from the backward pass. */
  sentBack: Float32Array;
  o: number;
  c: number;
}) {
  const { kernel, stride, pad } = geometry;
  const [, height, width] = geometry.inShape;
  const [, outHeight, outWidth] = geometry.outShape;
  // until the user steps, show where channel o matters most: the edges of an image often get no gradient at all
  const [position, setPosition] = useState<number | null>(null);
  const [activeCell, setActiveCell] = useState<number | null>(null);
  const gradientPlane = sentBack.subarray(c * height * width, (c + 1) * height * width);
  const at = Math.min(position ?? largestShare(delta, weight, geometry, o, c), height * width - 1);
  const i = Math.floor(at / width);
  const j = at % width;
  const window = inputGradientWindow(delta, weight, geometry, { c, i, j });
  const channel = window.channels[o];
  const engineValue = sentBack[(c * height + i) * width + j];
  const matches = Math.abs(window.sum - engineValue) <= 1e-5 * Math.max(1, Math.abs(engineValue));

  const deltaPlane = delta.subarray(o * outHeight * outWidth, (o + 1) * outHeight * outWidth);
  const cellOf = (from: { oh: number; ow: number } | null) => (from ? from.oh * outWidth + from.ow : -1);
  const used = channel.from.map(cellOf).filter((cell) => cell >= 0);
  const activeFrom = activeCell === null ? null : channel.from[activeCell];
  const products = channel.deltas.map((value, cell) => value * channel.rotated[cell]);

  return (
    <div className="explainer__body">
      <p className="explainer__equation">
        ∂L/∂x[{c},<mark>{i}</mark>,<mark>{j}</mark>] = Σ<sub>o</sub> Σ<sub>a,b</sub> δ̂[o, {i}+a, {j}+b] · rot180(W)[o,
        {c},a,b]
      </p>
      <p className="explainer__words">
        The full convolution of the deltas with the kernel rotated by 180°: δ̂ is δ padded with K−1−p ={' '}
        {kernel - 1 - pad} zeros
        {stride > 1 ? `, with ${stride - 1} zero${stride > 2 ? 's' : ''} between neighbours (stride ${stride})` : ''}.
      </p>
      <StepControls label={`input position (${i}, ${j})`} position={at} count={height * width} onMove={setPosition} />
      <div className="explainer__maps">
        <MapGrid
          title={`Deltas δ, channel ${o}`}
          maps={[
            {
              caption: `δ o${o}`,
              values: deltaPlane,
              width: outWidth,
              height: outHeight,
              marks: [
                { cells: used, tone: 'accent', box: true },
                ...(activeFrom ? [{ cells: [cellOf(activeFrom)], tone: 'mark' as const }] : []),
              ],
            },
          ]}
          scale={symmetricScale([deltaPlane])}
          target={112}
        />
        <MapGrid
          title={`∂L/∂x, channel ${c}`}
          maps={[
            { caption: `∂L/∂x c${c}`, values: gradientPlane, width, height, marks: [{ cells: [at], tone: 'mark' }] },
          ]}
          scale={symmetricScale([gradientPlane])}
          target={112}
          onPick={(_map, cell) => setPosition(cell)}
        />
      </div>
      <div className="explainer__windows">
        <NumberWindow
          title={`δ̂ window, o${o}`}
          values={channel.deltas}
          size={kernel}
          padding={channel.from.map((from) => from === null)}
          active={activeCell}
          onActive={setActiveCell}
        />
        <span className="explainer__operator" aria-hidden="true">
          ⊙
        </span>
        <NumberWindow
          title={`rot180(W)[${o},${c}]`}
          values={channel.rotated}
          size={kernel}
          active={activeCell}
          onActive={setActiveCell}
        />
        <span className="explainer__operator" aria-hidden="true">
          =
        </span>
        <NumberWindow title="products" values={products} size={kernel} active={activeCell} onActive={setActiveCell} />
      </div>
      <p className="explainer__sum">
        Σ for o{o} = <strong>{formatValue(channel.partial)}</strong>; over all {window.channels.length} output channels:{' '}
        {window.channels.map((ch) => formatValue(ch.partial)).join(' + ')}
      </p>
      <p className="explainer__result">
        = <strong>{formatValue(window.sum)}</strong>; the backward pass gives {formatValue(engineValue)}{' '}
        <span className={matches ? 'explainer__check' : 'explainer__mismatch'}>{matches ? '✓' : '≠'}</span>
      </p>
    </div>
  );
}
