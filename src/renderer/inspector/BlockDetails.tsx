/**
 * What the inspector adds for the blocks: a residual block's two branch outputs and their sum, and how the
 * gradient splits between the body and the skip path; a batch norm's statistics of this sample per channel
 * beside the running statistics that evaluation normalizes with.
 */
import { symmetricScale } from '../../engine/inspect/heat-colors';
import type { BatchNormInspection, ResidualInspection } from '../../engine/inspect/inspection';
import { formatValue } from './format';
import { tensorMaps } from './layer-maps';
import { MapGrid } from './MapGrid';
import { norm } from './nested-layers';

export function ResidualDetail({ residual, path }: { residual: ResidualInspection; path: string }) {
  const { bodyOutput, shortcutOutput, bodyInputGrad, shortcutInputGrad } = residual;
  const scale = symmetricScale([bodyOutput.data, shortcutOutput.data]);
  const bodyNorm = norm(bodyInputGrad.data);
  const skipNorm = norm(shortcutInputGrad.data);
  const share = bodyNorm + skipNorm > 0 ? bodyNorm / (bodyNorm + skipNorm) : 0.5;
  return (
    <section className="block-detail" aria-label={`Residual block ${path}`}>
      <MapGrid title="Body output body(x)" maps={tensorMaps(bodyOutput.data, bodyOutput.shape)} scale={scale} />
      <MapGrid
        title={residual.shortcut.length > 0 ? 'Shortcut output shortcut(x)' : 'Shortcut output (identity: x itself)'}
        maps={tensorMaps(shortcutOutput.data, shortcutOutput.shape)}
        scale={scale}
        note="The block's output above is the sum of these two."
      />
      <h4 className="map-group__title">Gradient split ∂L/∂x</h4>
      <div className="gradient-split" data-testid={`gradient-split-${path}`}>
        <span className="gradient-split__bar" style={{ width: `${(share * 100).toFixed(1)}%` }} />
      </div>
      <p className="block-detail__note">
        Through the body ‖∂L/∂x‖ = {formatValue(bodyNorm)}; through the skip path {formatValue(skipNorm)} (
        {(share * 100).toFixed(0)}% / {((1 - share) * 100).toFixed(0)}% of the two). The block sends back their sum.
      </p>
    </section>
  );
}

export function BatchNormDetail({ stats }: { stats: BatchNormInspection }) {
  return (
    <section className="block-detail" aria-label="Batch norm statistics">
      <h4 className="map-group__title">Statistics per channel</h4>
      <table className="stats-table" data-testid="batchnorm-stats">
        <thead>
          <tr>
            <th scope="col">ch</th>
            <th scope="col">sample mean</th>
            <th scope="col">running mean</th>
            <th scope="col">sample var</th>
            <th scope="col">running var</th>
            <th scope="col">γ</th>
            <th scope="col">β</th>
          </tr>
        </thead>
        <tbody>
          {Array.from(stats.runningMean, (_, c) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: channels are positions
            <tr key={c}>
              <td>{c}</td>
              <td>{formatValue(stats.sampleMean[c])}</td>
              <td>{formatValue(stats.runningMean[c])}</td>
              <td>{formatValue(stats.sampleVar[c])}</td>
              <td>{formatValue(stats.runningVar[c])}</td>
              <td>{formatValue(stats.weight[c])}</td>
              <td>{formatValue(stats.bias[c])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="block-detail__note">
        Training normalizes each channel with its batch's mean and variance (here: this sample's alone); evaluation, and
        so this inspection, uses the running statistics: y = γ·(x − running mean)/√(running var + {stats.eps}) + β.
      </p>
    </section>
  );
}
