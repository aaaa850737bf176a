/**
 * Everything training changes in a network, by PyTorch name: its parameters and, for layers that have them
 * (batch norm's running statistics), its buffers. Best weights, finished runs, exports and project files all
 * copy a network through these two functions, so a part added to the state is never left behind.
 */
import type { Network } from '../network';
import type { Tensor } from '../tensor';

export type NetworkState = ReadonlyMap<string, Tensor>;

/** A copy that later training does not change. */
export function copyNetworkState(network: Network): NetworkState {
  return new Map(Object.entries(network.getParameters()));
}

/** Overwrites the network's state; a missing, extra or misshapen tensor is refused with its name. */
export function loadNetworkState(network: Network, state: NetworkState): void {
  network.setParameters(state);
}
