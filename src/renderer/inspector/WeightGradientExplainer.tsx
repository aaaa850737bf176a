/**
 * dW of one kernel element as the cross-correlation of the layer input with the output deltas, on this
 * sample's numbers: the input cells that pair with each delta are outlined, the largest products are written
 * out (hover one to see its two cells), and the total is checked against the backward pass.
 */
import { useState } from 'react';
import { type ConvGeometry, weightGradientWindow } from '../../engine/inspect/conv-explainer';
import { symmetricScale } from '../../engine/inspect/heat-colors';
import { formatValue } from './format';
import { MapGrid } from './MapGrid';
import { StepControls } from './StepControls';

/** Products written out; the rest are summed in "+ n more". */
const SHOWN_TERMS = 4;

export function WeightGradientExplainer({
  geometry,
  input,
  delta,
  weightGrad,
  o,
  c,
}: {
  geometry: ConvGeometry;
  input: Float32Array;
  delta: Float32Array;
  weightGrad: Float32Array;
  o: number;
  c: number;
}) {
  const { kernel, stride, pad } = geometry;
  const [position, setPosition] = useState(0);
  const [activeTerm, setActiveTerm] = useState<number | null>(null);
  const kh = Math.floor(position / kernel);
  const kw = position % kernel;
  const window = weightGradientWindow(input, delta, geometry, { o, c, kh, kw });
  const engineValue = weightGrad[((o * geometry.inShape[0] + c) * kernel + kh) * kernel + kw];
  const shown = window.terms
    .map((term, index) => ({ term, index }))
    .sort((a, b) => Math.abs(b.term.x * b.term.delta) - Math.abs(a.term.x * a.term.delta))
    .slice(0, SHOWN_TERMS);
  const rest = window.sum - shown.reduce((sum, { term }) => sum + term.x * term.delta, 0);

  const [, height, width] = geometry.inShape;
  const [, outHeight, outWidth] = geometry.outShape;
  const plane = (data: Float32Array, channel: number, size: number) =>
    data.subarray(channel * size, (channel + 1) * size);
  const inputPlane = plane(input, c, height * width);
  const deltaPlane = plane(delta, o, outHeight * outWidth);
  const active = activeTerm === null ? null : window.terms[activeTerm];
  const inputMarks = [
    { cells: window.terms.map((t) => t.ih * width + t.iw), tone: 'accent' as const, box: true },
    ...(active ? [{ cells: [active.ih * width + active.iw], tone: 'mark' as const }] : []),
  ];
  const deltaMarks = active ? [{ cells: [active.oh * outWidth + active.ow], tone: 'mark' as const }] : [];
  const matches = Math.abs(window.sum - engineValue) <= 1e-5 * Math.max(1, Math.abs(engineValue));

  return (
    <div className="explainer__body">
      <p className="explainer__equation">
        ∂L/∂W[{o},{c},<mark>{kh}</mark>,<mark>{kw}</mark>] = Σ<sub>i,j</sub> x[{c}, i·{stride}−{pad}+{kh}, j·{stride}−
        {pad}+{kw}] · δ[{o},i,j]
      </p>
      <p className="explainer__words">
        The cross-correlation of the layer input with the output deltas (x is 0 in the padding).
      </p>
      <StepControls
        label={`kernel cell (${kh}, ${kw})`}
        position={position}
        count={kernel * kernel}
        onMove={setPosition}
      />
      <div className="explainer__maps">
        <MapGrid
          title={`Input x, channel ${c}`}
          maps={[{ caption: `x c${c}`, values: inputPlane, width, height, marks: inputMarks }]}
          scale={symmetricScale([inputPlane])}
          target={112}
        />
        <MapGrid
          title={`Deltas δ, channel ${o}`}
          maps={[{ caption: `δ o${o}`, values: deltaPlane, width: outWidth, height: outHeight, marks: deltaMarks }]}
          scale={symmetricScale([deltaPlane])}
          target={112}
        />
      </div>
      <p className="explainer__sum">
        ={' '}
        {shown.map(({ term, index }, k) => (
          <span key={index}>
            {k > 0 ? ' + ' : ''}
            <button
              type="button"
              className={`explainer__term${activeTerm === index ? ' explainer__term--active' : ''}`}
              onMouseEnter={() => setActiveTerm(index)}
              onMouseLeave={() => setActiveTerm(null)}
              onFocus={() => setActiveTerm(index)}
              onBlur={() => setActiveTerm(null)}
              aria-label={`x at (${term.ih}, ${term.iw}) is ${formatValue(term.x)}, delta at (${term.oh}, ${term.ow}) is ${formatValue(term.delta)}`}
            >
              {formatValue(term.x)}·{formatValue(term.delta)}
            </button>
          </span>
        ))}
        {window.terms.length > shown.length
          ? ` + ${formatValue(rest)} (the other ${window.terms.length - shown.length} products)`
          : ''}
      </p>
      <p className="explainer__result">
        = <strong>{formatValue(window.sum)}</strong>; the backward pass gives {formatValue(engineValue)}{' '}
        <span className={matches ? 'explainer__check' : 'explainer__mismatch'}>{matches ? '✓' : '≠'}</span>
      </p>
    </div>
  );
}
