/** Checks of the `training` section against the network: one output, fitting loss and data, known pitfalls. */
import type { Node } from 'jsonc-parser';
import type { ActivationName, DataSpec, NetworkDoc, NetworkNode } from './types';
import type { ParsedNetwork } from './parse';
import { propValue, type Reporter } from './fieldReaders';
import type { GraphIndex } from './graph';

type At = (id: string, key?: string) => Node | { offset: number; length: number };

/** What is known of a built-in data source without loading it. */
interface DataFacts {
  features?: number;
  /** Classes for classification, 0 for regression, undefined when unknown (CSV). */
  classes?: number;
  name: string;
  /** Image data (IDX files, an image folder): one input, of shape [H, W, C] or of H·W·C units. */
  images?: boolean;
  /** The loader needs the input's [H, W, C] to decode the images (an image folder). */
  needsShape?: boolean;
}

/** Feature count and task of the built-in generators and data sets (docs/format.md lists them). */
export function dataFacts(data: DataSpec): DataFacts {
  if ('generator' in data) {
    const name = `generator '${data.generator}'`;
    if (data.generator === 'linear' || data.generator === 'sine') return { features: 1, classes: 0, name };
    const classes = data.generator === 'spiral' || data.generator === 'gaussian' ? data.classes ?? 2 : 2;
    return { features: 2, classes, name };
  }
  if ('dataset' in data) {
    const table = { interview: { features: 2, classes: 2 }, iris: { features: 4, classes: 3 }, digits: { features: 64, classes: 10 } };
    return { ...table[data.dataset], name: `data set '${data.dataset}'` };
  }
  // Image files: the size and class count are only known after reading them (the loader checks them).
  if ('idx' in data) return { name: `IDX images '${data.idx.images}'`, images: true };
  if ('imageFolder' in data) return { name: `image folder '${data.imageFolder}'`, images: true, needsShape: true };
  // A CSV column can become several features ("120/80" → 2, categories → one-hot), so the width
  // is only known after reading the file; the trainer checks it then.
  return { name: `CSV '${data.csv}'` };
}

function finalActivation(n: NetworkNode): ActivationName | undefined {
  if (n.type === 'dense') return n.activation ?? 'linear';
  if (n.type === 'activation') return n.activation;
  return undefined;
}

/** Training-section checks; runs only when the file has a `training` section. */
export function checkTraining(doc: NetworkDoc, g: GraphIndex, shapes: Map<string, number[]>, r: Reporter, at: At, parsed: ParsedNetwork): void {
  const t = doc.training;
  if (!t) return;
  const trainingNode = propValue(parsed.root, 'training') ?? { offset: 0, length: 0 };
  const seen = new Set<string>();
  const nodes = doc.nodes.filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));
  const outputs = nodes.filter((n) => n.type !== 'input' && !(g.outputsOf.get(n.id) ?? []).length);
  if (outputs.length > 1) {
    r.add('error', 'multiple-outputs',
      `training needs one output node, but ${outputs.map((o) => `'${o.id}'`).join(', ')} all end the network; connect all but one onward, or merge them`,
      trainingNode);
  }
  const out = outputs.length === 1 ? outputs[0] : undefined;
  const act = out ? finalActivation(out) : undefined;
  const units = out ? shapes.get(out.id)?.reduce((a, b) => a * b, 1) : undefined;
  const lossAt = propValue(trainingNode as Node, 'loss') ?? trainingNode;
  const facts = t.data ? dataFacts(t.data) : undefined;
  if (out && t.loss === 'binary_crossentropy' && act === 'softmax') {
    r.add('warning', 'softmax-binary-crossentropy',
      `output '${out.id}' uses softmax with binary cross-entropy: softmax makes the outputs sum to 1 (with one unit it is always 1), so use sigmoid for yes/no, or categorical_crossentropy for several classes`,
      at(out.id, 'activation'), out.id);
  }
  if (out && t.loss === 'mse' && act === 'sigmoid' && facts?.classes !== 0) {
    r.add('warning', 'sigmoid-mse',
      `output '${out.id}' is a sigmoid trained with mse: for a classifier, mse on a sigmoid gives tiny gradients when the prediction is confidently wrong; use binary_crossentropy`,
      lossAt, out.id);
  }
  if (out && t.loss === 'categorical_crossentropy' && units !== undefined && units < 2) {
    r.add('warning', 'loss-output', `categorical_crossentropy needs one output unit per class, but '${out.id}' has ${units}; use binary_crossentropy for a single yes/no output`, lossAt, out.id);
  }
  if (out && t.loss === 'categorical_crossentropy' && act !== undefined && act !== 'softmax') {
    r.add('warning', 'loss-output', `categorical_crossentropy expects probabilities that sum to 1, but output '${out.id}' uses ${act}; use a softmax output`, at(out.id, 'activation'), out.id);
  }
  for (const n of nodes) {
    if (n === out || finalActivation(n) !== 'step') continue;
    r.add('warning', 'step-hidden',
      `${n.type} '${n.id}' uses the step activation inside the network: its slope is 0 almost everywhere, so gradient descent cannot train the layers before it; use sigmoid or relu`,
      at(n.id, 'activation'), n.id);
  }
  const es = t.earlyStopping;
  if (es && (es.monitor ?? 'val_loss') === 'val_loss' && t.validationSplit === 0) {
    r.add('warning', 'early-stopping-monitor',
      'earlyStopping watches val_loss but validationSplit is 0, so there is no validation data and it falls back to the training loss; hold out data (e.g. 0.2) or set "monitor": "loss"',
      propValue(propValue(trainingNode as Node, 'earlyStopping'), 'monitor') ?? propValue(trainingNode as Node, 'earlyStopping') ?? trainingNode);
  }
  if (facts) checkDataFit(doc, facts, out, units, r, at, propValue(trainingNode as Node, 'data') ?? trainingNode);
}

function checkDataFit(doc: NetworkDoc, facts: DataFacts, out: NetworkNode | undefined, units: number | undefined, r: Reporter, at: At, dataNode: Node | { offset: number; length: number }): void {
  const inputs = doc.nodes.filter((n) => n.type === 'input');
  const width = inputs.reduce((a, n) => a + (n.type === 'input' ? n.units : 0), 0);
  if (facts.features !== undefined && inputs.length && width !== facts.features) {
    r.add('warning', 'data-shape',
      `${facts.name} has ${facts.features} feature${facts.features === 1 ? '' : 's'} per sample, but the input node${inputs.length > 1 ? 's take' : ' takes'} ${width}`,
      at(inputs[0].id, 'units'), inputs[0].id);
  }
  if (facts.images && inputs.length > 1) {
    r.add('warning', 'data-shape', `${facts.name} feeds one input node, but the network has ${inputs.length}; use a single input`, at(inputs[1].id), inputs[1].id);
  } else if (facts.needsShape && inputs.length === 1 && inputs[0].type === 'input' && !inputs[0].shape) {
    r.add('warning', 'data-shape',
      `${facts.name} holds images, so input '${inputs[0].id}' needs a "shape" [height, width, channels] (channels 1 for gray, 3 for RGB) instead of "units"`,
      at(inputs[0].id, 'units'), inputs[0].id);
  }
  if (!out || units === undefined || facts.classes === undefined) return;
  // Two classes are one 0/1 column in the engine's data sets, so a binary task wants exactly one unit.
  const fits = facts.classes === 0 || facts.classes === 2 ? units === 1 : units === facts.classes;
  if (!fits) {
    const want = facts.classes === 0 ? '1 output unit (a number)' : facts.classes === 2 ? '1 output unit (yes/no)' : `${facts.classes} output units (one per class)`;
    r.add('warning', 'data-shape', `${facts.name} needs ${want}, but output '${out.id}' has ${units}`, dataNode, out.id);
  }
}
