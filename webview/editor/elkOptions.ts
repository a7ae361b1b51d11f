/** ELK's options for the editor's layered layout (the layout worker uses them; tests lay out with the same). */

const common: Record<string, string> = {
  'elk.algorithm': 'layered',
  // The editor draws its own curves between ports, so ELK's cheapest routing is enough.
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '28',
  'elk.layered.spacing.nodeNodeBetweenLayers': '64',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
};

/** Nodes above which layout trades polish for speed (a big graph must never freeze the editor). */
export const BIG_GRAPH = 150;

/** Layout options for a graph of `n` nodes whose layers stand at least `layerGap` px apart. */
export function optionsFor(n: number, layerGap = 0): Record<string, string> {
  const spaced = { ...common, 'elk.layered.spacing.nodeNodeBetweenLayers': String(Math.max(64, Math.ceil(layerGap))) };
  if (n <= BIG_GRAPH) return { ...spaced, 'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF' };
  return {
    ...spaced,
    'elk.layered.thoroughness': '1',
    'elk.layered.layering.strategy': 'LONGEST_PATH',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  };
}
