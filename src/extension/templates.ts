/**
 * Starting points offered by "Neural Canvas: New Network". Each template but Blank is one of the
 * lectures' examples: the file it writes is that example's text, read from the examples/ folder
 * the extension ships, so a template can never drift from its example. Pure: the caller reads
 * the file (the extension from its install folder, the tests from the repository).
 */
import type { NetworkDoc } from '../model/types';

/** One template as the quick pick shows it. */
export interface NetworkTemplate {
  id: string;
  label: string;
  detail: string;
  /** File name offered when saving. */
  fileName: string;
  /** The example under examples/ whose text the template writes; none for Blank. */
  example?: string;
}

/** The one template that is not an example: a single input node to build on. */
export const BLANK_DOC: NetworkDoc = { format: 'nn/1', name: 'New network', nodes: [{ id: 'x', type: 'input', units: 2 }], edges: [] };

/** Every template, in the lectures' order. */
export const TEMPLATES: readonly NetworkTemplate[] = [
  { id: 'blank', label: 'Blank', detail: 'One input node: build from the palette', fileName: 'network.nn' },
  { id: 'perceptron', label: 'Perceptron', detail: 'One sigmoid neuron with the lecture\'s weights (examples/perceptron.nn)', fileName: 'perceptron.nn', example: 'perceptron.nn' },
  { id: 'xor', label: 'XOR', detail: 'Points no line separates, solved by a ReLU hidden layer (examples/xor-relu.nn)', fileName: 'xor-relu.nn', example: 'xor-relu.nn' },
  { id: 'spiral', label: 'Spiral classifier', detail: 'Two interleaved spirals: two hidden layers and L2 (examples/spiral.nn)', fileName: 'spiral.nn', example: 'spiral.nn' },
  { id: 'interview', label: 'Interview', detail: 'GPA and experience → interview, with the lecture\'s trained weights (examples/interview.nn)', fileName: 'interview.nn', example: 'interview.nn' },
  { id: 'mnist-mlp', label: 'MNIST-sized MLP', detail: '784 → 128 → 64 → 10 softmax, an architecture to count (examples/mnist-mlp.nn)', fileName: 'mnist-mlp.nn', example: 'mnist-mlp.nn' },
  { id: 'lenet5', label: 'LeNet-5', detail: 'LeCun\'s convnet for 32×32 digits: conv → pool → conv → pool → 120 → 84 → 10, 61,706 parameters (examples/lenet5.nn)', fileName: 'lenet5.nn', example: 'lenet5.nn' },
  { id: 'digits-convnet', label: 'Digits convnet', detail: 'A small convnet that trains on the shipped 8×8 digits in seconds on the CPU (examples/digits-convnet.nn)', fileName: 'digits-convnet.nn', example: 'digits-convnet.nn' },
  { id: 'mnist-convnet', label: 'Keras MNIST convnet', detail: 'Two 3×3 convolutions, max pooling, dropout, 128 → 10: 1,199,882 parameters; trains once you add MNIST\'s files (examples/mnist-convnet.nn)', fileName: 'mnist-convnet.nn', example: 'mnist-convnet.nn' },
];

/** The text a template writes: its example's text as shipped, or for Blank the blank network. */
export async function templateText(t: NetworkTemplate, readExample: (fileName: string) => Promise<string>): Promise<string> {
  return t.example ? readExample(t.example) : networkText(BLANK_DOC);
}

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
