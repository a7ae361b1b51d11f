/**
 * Networks the export tests run on: the lectures' interview network with its hand-set weights,
 * and a small graph that exercises every node type and activation. Random weights come from a
 * seeded generator so every run checks the same numbers.
 */
import { checkNetwork, formatDiagnostic, type NetworkDoc } from '../../../src/model/index';
import type { ExportAnalysis, ExportWeights } from '../../../src/export/exportTypes';

/** The lectures' interview network: 2 inputs, 3 ReLU units, 1 sigmoid output, 13 parameters. */
export const interviewDoc: NetworkDoc = {
  format: 'nn/1',
  name: 'interview',
  nodes: [
    { id: 'applicant', type: 'input', units: 2, features: ['GPA', 'Experience'] },
    { id: 'hidden', type: 'dense', units: 3, activation: 'relu', weights: [[0.5, 0.1], [-0.1, 0.3], [0.2, -0.1]], bias: [-0.3, 0.2, 0.5] },
    { id: 'called', type: 'dense', units: 1, activation: 'sigmoid', weights: [[-0.2, -0.3, -0.15]], bias: [0.05] },
  ],
  edges: [{ from: 'applicant', to: 'hidden' }, { from: 'hidden', to: 'called' }],
};

/** Two inputs through every node type and activation, two outputs. */
export const everyNodeDoc: NetworkDoc = {
  format: 'nn/1',
  name: 'every-node',
  nodes: [
    { id: 'a', type: 'input', units: 3 },
    { id: 'b', type: 'input', units: 2 },
    { id: 'h-1', type: 'dense', units: 4, activation: 'tanh' },
    { id: 'h2', type: 'dense', units: 4, activation: 'leaky_relu', alpha: 0.2 },
    { id: 'sum', type: 'add' },
    { id: 'act', type: 'activation', activation: 'elu', alpha: 0.7 },
    { id: 'drop', type: 'dropout', rate: 0.3 },
    { id: 'prod', type: 'multiply' },
    { id: 'cat', type: 'concat' },
    { id: 'step', type: 'dense', units: 2, activation: 'step' },
    { id: 'forward', type: 'dense', units: 3, activation: 'softmax', useBias: false },
    { id: 'reg', type: 'dense', units: 1 },
  ],
  edges: [
    { from: 'a', to: 'h-1' }, { from: 'b', to: 'h2' },
    { from: 'h-1', to: 'sum' }, { from: 'h2', to: 'sum' },
    { from: 'sum', to: 'act' }, { from: 'act', to: 'drop' },
    { from: 'drop', to: 'prod' }, { from: 'h-1', to: 'prod' },
    { from: 'prod', to: 'cat' }, { from: 'b', to: 'cat' },
    { from: 'cat', to: 'step' }, { from: 'cat', to: 'forward' }, { from: 'step', to: 'reg' },
  ],
};

/**
 * Checks `doc` with the model core (so every fixture is a valid nn/1 file) and returns its
 * analysis; throws with the diagnostics when the fixture itself is wrong.
 */
export function fixtureAnalysis(doc: NetworkDoc): ExportAnalysis {
  const { diagnostics, analysis } = checkNetwork(JSON.stringify(doc, null, 2));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!analysis || errors.length) throw new Error(`fixture '${doc.name}' is not valid: ${errors.map((d) => formatDiagnostic('fixture.nn', d)).join('; ')}`);
  return analysis;
}

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Random weights for every dense node of `doc` (bias only where the node uses one). */
export function randomWeights(doc: NetworkDoc, analysis: ExportAnalysis, seed: number): ExportWeights {
  const rnd = seededRandom(seed);
  const w: ExportWeights = new Map();
  for (const n of doc.nodes) {
    if (n.type !== 'dense') continue;
    const fanIn = analysis.shapes.get(analysis.inputsOf.get(n.id)![0])![0];
    w.set(`${n.id}.weight`, { shape: [n.units, fanIn], data: Float32Array.from({ length: n.units * fanIn }, rnd) });
    if (n.useBias !== false) w.set(`${n.id}.bias`, { shape: [n.units], data: Float32Array.from({ length: n.units }, () => rnd() * 0.5) });
  }
  return w;
}
