/** The trained network for `nn predict`, `nn grad` and `nn boundary`: the jobs layer's, in the CLI's words. */
import * as path from 'node:path';
import type { CompiledNetwork } from '../engine';
import type { Standardizer } from '../engine/data';
import { trainedNetwork } from '../jobs';
import type { LoadedDesign } from './loadDesign';

/** The network with its weights: from the weights file beside it, else inline, else an error naming nn train. */
export function loadTrained(d: LoadedDesign): Promise<{ net: CompiledNetwork; source: string; standardizer?: Standardizer }> {
  return trainedNetwork(d, {
    allowInit: false,
    wording: {
      shownDesign: d.shown,
      shownWeights: (file) => path.relative(process.cwd(), file) || file,
      untrained: `no weights: train first with nn train ${d.shown} (or give every dense layer inline "weights").`,
    },
  });
}
