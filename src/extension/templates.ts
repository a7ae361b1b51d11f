/**
 * Starting points offered by "Neural Canvas: New Network", written the way the examples are:
 * one node or edge per line, so the first diff a user commits is easy to read. Pure.
 */
import type { NetworkDoc } from '../model/types';

/** One template as the quick pick shows it. */
export interface NetworkTemplate {
  id: string;
  label: string;
  detail: string;
  /** File name offered when saving. */
  fileName: string;
  doc: NetworkDoc;
}

/** Every template, in the lectures' order. */
export const TEMPLATES: readonly NetworkTemplate[] = [
  {
    id: 'blank', label: 'Blank', detail: 'One input node: build from the palette', fileName: 'network.nn',
    doc: { format: 'nn/1', name: 'New network', nodes: [{ id: 'x', type: 'input', units: 2 }], edges: [] },
  },
  {
    id: 'perceptron', label: 'Perceptron', detail: 'ŷ = g(w0 + XᵀW): 2 inputs, one sigmoid unit (the lecture\'s w0 = 1, W = (3, −2))', fileName: 'perceptron.nn',
    doc: {
      format: 'nn/1', name: 'Perceptron',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid', weights: [[3, -2]], bias: [1] }],
      edges: [{ from: 'x', to: 'y' }],
    },
  },
  {
    id: 'xor', label: 'XOR', detail: 'Points no line separates: a ReLU hidden layer of 4 units', fileName: 'xor.nn',
    doc: {
      format: 'nn/1', name: 'XOR',
      nodes: [{ id: 'x', type: 'input', units: 2 }, { id: 'h', type: 'dense', units: 4, activation: 'relu' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' }],
      edges: [{ from: 'x', to: 'h' }, { from: 'h', to: 'y' }],
      training: { data: { generator: 'xor', samples: 200, noise: 0.1 }, loss: 'binary_crossentropy', optimizer: { type: 'adam', learningRate: 0.05 }, batchSize: 16, epochs: 200, seed: 1 },
    },
  },
  {
    id: 'spiral', label: 'Spiral classifier', detail: 'Two interleaved spirals: two tanh hidden layers', fileName: 'spiral.nn',
    doc: {
      format: 'nn/1', name: 'Spiral classifier',
      nodes: [
        { id: 'x', type: 'input', units: 2 }, { id: 'h1', type: 'dense', units: 16, activation: 'tanh' },
        { id: 'h2', type: 'dense', units: 16, activation: 'tanh' }, { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
      ],
      edges: [{ from: 'x', to: 'h1' }, { from: 'h1', to: 'h2' }, { from: 'h2', to: 'y' }],
      training: { data: { generator: 'spiral', samples: 400, noise: 0.1 }, loss: 'binary_crossentropy', optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs: 300, seed: 1 },
    },
  },
  {
    id: 'interview', label: 'Interview', detail: 'GPA and experience → interview: 2-3-1, 13 parameters', fileName: 'interview.nn',
    doc: {
      format: 'nn/1', name: 'Interview classifier',
      nodes: [
        { id: 'x', type: 'input', units: 2, features: ['GPA', 'Experience'] }, { id: 'hidden', type: 'dense', units: 3, activation: 'relu' },
        { id: 'y', type: 'dense', units: 1, activation: 'sigmoid' },
      ],
      edges: [{ from: 'x', to: 'hidden' }, { from: 'hidden', to: 'y' }],
      training: { data: { dataset: 'interview' }, loss: 'binary_crossentropy', optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 8, epochs: 200, validationSplit: 0.2, seed: 1 },
    },
  },
  {
    id: 'mnist-mlp', label: 'MNIST-sized MLP', detail: '784 → 128 → 64 → 10 softmax, categorical cross-entropy', fileName: 'mnist-mlp.nn',
    doc: {
      format: 'nn/1', name: 'MNIST-sized MLP',
      nodes: [
        { id: 'pixels', type: 'input', units: 784 }, { id: 'h1', type: 'dense', units: 128, activation: 'relu' },
        { id: 'h2', type: 'dense', units: 64, activation: 'relu' }, { id: 'digit', type: 'dense', units: 10, activation: 'softmax' },
      ],
      edges: [{ from: 'pixels', to: 'h1' }, { from: 'h1', to: 'h2' }, { from: 'h2', to: 'digit' }],
      training: { loss: 'categorical_crossentropy', optimizer: { type: 'adam', learningRate: 0.001 }, batchSize: 64, epochs: 10 },
    },
  },
];

/** The file text of a network: two-space indent, one node or edge per line. */
export function networkText(doc: NetworkDoc): string {
  const lines: string[] = ['{'];
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if ((key === 'nodes' || key === 'edges') && Array.isArray(value)) {
      if (value.length === 0) lines.push(`  "${key}": []${comma}`);
      else {
        lines.push(`  "${key}": [`);
        value.forEach((item, j) => lines.push(`    ${oneLine(item)}${j < value.length - 1 ? ',' : ''}`));
        lines.push(`  ]${comma}`);
      }
    } else {
      lines.push(`  "${key}": ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}${comma}`);
    }
  });
  lines.push('}', '');
  return lines.join('\n');
}

function oneLine(v: unknown): string {
  return JSON.stringify(v).replace(/":/g, '": ').replace(/,"/g, ', "').replace(/^\{/, '{ ').replace(/\}$/, ' }');
}
