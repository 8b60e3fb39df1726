import type { LayerRange } from '../schema/config';

/** True when a unit's layer position falls in the experiment's slice `[start, end)` of the layer. */
export function inLayerRange(
  layerPosition: number,
  range: Pick<LayerRange, 'start' | 'end'>,
): boolean {
  return layerPosition >= range.start && layerPosition < range.end;
}
