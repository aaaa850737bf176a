/** Everything the inspector shows for one layer: forward maps, what routes the gradient, and the backward maps. */
import { symmetricScale } from '../../engine/inspect/heat-colors';
import type { Inspection, LayerInspection } from '../../engine/inspect/inspection';
import { BatchNormDetail, ResidualDetail } from './BlockDetails';
import { ConvExplainer } from './ConvExplainer';
import { formatShape, formatValue } from './format';
import { countDead, kernelMaps, poolWinnerMaps, tensorMaps } from './layer-maps';
import { MapGrid } from './MapGrid';
import { inputsOf } from './nested-layers';

export function LayerDetail({ inspection, layer }: { inspection: Inspection; layer: LayerInspection }) {
  const { input, sentBack } = inputsOf(inspection, layer);
  const dead = countDead(layer);
  return (
    <div className="layer-detail">
      <h3 className="layer-detail__title">
        Layer {layer.path} · {layer.type}{' '}
        <span className="layer-detail__shape">
          {formatShape(layer.inShape)} → {formatShape(layer.outShape)}
        </span>
      </h3>

      <h4 className="layer-detail__pass">Forward</h4>
      <MapGrid
        title="Output"
        maps={tensorMaps(layer.output.data, layer.outShape)}
        scale={symmetricScale([layer.output.data])}
      />
      <TopActivations layer={layer} />
      {layer.residual ? <ResidualDetail residual={layer.residual} path={layer.path} /> : null}
      {layer.batchNorm ? <BatchNormDetail stats={layer.batchNorm} /> : null}
      {layer.deadUnits ? (
        <MapGrid
          title="Dead units (1 = dead)"
          note={`${dead} of ${layer.deadUnits.length} units (${((dead / layer.deadUnits.length) * 100).toFixed(0)}%) got an input ≤ 0: they output 0 and pass no gradient back for this sample.`}
          maps={tensorMaps(Float32Array.from(layer.deadUnits), layer.inShape)}
          scale={1}
        />
      ) : null}
      {layer.poolWinners ? (
        <MapGrid
          title="Max-pool winners"
          note={`Outlined: the input that won each ${layer.poolSize}×${layer.poolSize} window (stride ${layer.poolStride}); backward sends the whole delta to it and 0 to the rest.`}
          maps={poolWinnerMaps(layer, input)}
          scale={symmetricScale([input])}
        />
      ) : null}
      {layer.type === 'conv2d' && layer.weight ? (
        <MapGrid
          title="Kernels W[o, c]"
          maps={kernelMaps(layer.weight.data, layer.weight.shape)}
          scale={symmetricScale([layer.weight.data])}
          target={42}
        />
      ) : null}

      <h4 className="layer-detail__pass">Backward</h4>
      <MapGrid
        title="Deltas ∂L/∂output"
        maps={tensorMaps(layer.delta.data, layer.outShape)}
        scale={symmetricScale([layer.delta.data])}
      />
      {layer.type === 'conv2d' && layer.weightGrad ? (
        <MapGrid
          title="Kernel gradients ∂L/∂W[o, c]"
          maps={kernelMaps(layer.weightGrad.data, layer.weightGrad.shape)}
          scale={symmetricScale([layer.weightGrad.data])}
          target={42}
          note={layer.biasGrad ? `∂L/∂b = ${Array.from(layer.biasGrad.data, formatValue).join(', ')}` : undefined}
        />
      ) : null}
      {layer.type === 'dense' && layer.weightGrad ? (
        <MapGrid
          title="Weight gradients ∂L/∂W (rows: units)"
          maps={[
            {
              caption: formatShape(layer.weightGrad.shape),
              values: layer.weightGrad.data,
              width: layer.weightGrad.shape[1],
              height: layer.weightGrad.shape[0],
            },
          ]}
          scale={symmetricScale([layer.weightGrad.data])}
          target={240}
        />
      ) : null}
      {layer.type === 'conv2d' ? (
        <ConvExplainer key={layer.path} layer={layer} input={input} sentBack={sentBack} />
      ) : null}
    </div>
  );
}

function TopActivations({ layer }: { layer: LayerInspection }) {
  const maps = layer.outShape.length === 3;
  return (
    <section className="top-activations" aria-label="Top activations">
      <h4 className="map-group__title">Top activations</h4>
      <ol className="top-activations__list">
        {layer.top.map((top) => (
          <li key={top.unit}>
            {maps ? `c${top.channel} (${top.h}, ${top.w})` : `unit ${top.unit}`}{' '}
            <span className="top-activations__value">{formatValue(top.value)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
