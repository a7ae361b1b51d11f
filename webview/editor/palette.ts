/**
 * The palette of node kinds: searchable, click to add after the selection, or drag onto the
 * canvas (onto a node: add after it; onto empty space: add and pin there).
 */
import type { NetworkNode } from '../../src/model/types';
import { custom, h, icon } from './dom';

/** One kind of node the palette offers. */
export interface PaletteEntry {
  key: string;
  label: string;
  description: string;
  icon: string;
  /** Base for the new node's id. */
  idBase: string;
  make(id: string): NetworkNode;
}

/** Everything the palette offers, in the lectures' order. */
export const PALETTE: readonly PaletteEntry[] = [
  { key: 'input', label: 'Input', description: 'features in', icon: 'sign-in', idBase: 'x', make: (id) => ({ id, type: 'input', units: 2 }) },
  { key: 'dense-relu', label: 'Dense · ReLU', description: 'hidden layer', icon: 'layers', idBase: 'h', make: (id) => ({ id, type: 'dense', units: 4, activation: 'relu' }) },
  { key: 'dense-tanh', label: 'Dense · tanh', description: 'hidden layer', icon: 'layers', idBase: 'h', make: (id) => ({ id, type: 'dense', units: 4, activation: 'tanh' }) },
  { key: 'dense-sigmoid', label: 'Dense · sigmoid', description: 'binary output', icon: 'layers', idBase: 'out', make: (id) => ({ id, type: 'dense', units: 1, activation: 'sigmoid' }) },
  { key: 'dense-softmax', label: 'Dense · softmax', description: 'class probabilities', icon: 'layers', idBase: 'out', make: (id) => ({ id, type: 'dense', units: 3, activation: 'softmax' }) },
  { key: 'dense-linear', label: 'Dense · linear', description: 'regression output', icon: 'layers', idBase: 'out', make: (id) => ({ id, type: 'dense', units: 1 }) },
  { key: 'activation', label: 'Activation', description: 'element-wise g(x)', icon: 'pulse', idBase: 'act', make: (id) => ({ id, type: 'activation', activation: 'relu' }) },
  { key: 'dropout', label: 'Dropout', description: 'regularisation', icon: 'filter', idBase: 'drop', make: (id) => ({ id, type: 'dropout', rate: 0.5 }) },
  { key: 'add', label: 'Add', description: 'sum of inputs', icon: 'add', idBase: 'add', make: (id) => ({ id, type: 'add' }) },
  { key: 'multiply', label: 'Multiply', description: 'product of inputs', icon: 'close', idBase: 'mul', make: (id) => ({ id, type: 'multiply' }) },
  { key: 'concat', label: 'Concat', description: 'join features', icon: 'merge', idBase: 'cat', make: (id) => ({ id, type: 'concat' }) },
  { key: 'input-image', label: 'Image input', description: 'H×W×C pixels', icon: 'sign-in', idBase: 'image', make: (id) => ({ id, type: 'input', shape: [28, 28, 1] } as NetworkNode) },
  { key: 'conv2d', label: 'Conv2D', description: 'image filters', icon: 'table', idBase: 'conv', make: (id) => ({ id, type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' }) },
  { key: 'maxpool2d', label: 'Max pool', description: 'downsample images', icon: 'screen-normal', idBase: 'pool', make: (id) => ({ id, type: 'maxpool2d', poolSize: 2 }) },
  { key: 'avgpool2d', label: 'Average pool', description: 'downsample images', icon: 'screen-normal', idBase: 'pool', make: (id) => ({ id, type: 'avgpool2d', poolSize: 2 }) },
  { key: 'globalavgpool2d', label: 'Global average pool', description: 'image → channels', icon: 'combine', idBase: 'gap', make: (id) => ({ id, type: 'globalavgpool2d' }) },
  { key: 'flatten', label: 'Flatten', description: 'image → vector', icon: 'list-flat', idBase: 'flat', make: (id) => ({ id, type: 'flatten' }) },
  { key: 'reshape', label: 'Reshape', description: 'same values, new shape', icon: 'symbol-ruler', idBase: 'reshape', make: (id) => ({ id, type: 'reshape', shape: [28, 28, 1] }) },
  { key: 'batchnorm', label: 'Batch norm', description: 'normalise per channel', icon: 'dashboard', idBase: 'bn', make: (id) => ({ id, type: 'batchnorm' }) },
];

/** The drag data type of a palette item. */
export const PALETTE_MIME = 'application/x-neural-canvas-palette';

/** Entries whose label or description contains every word of `query`. */
export function filterPalette(query: string): PaletteEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return PALETTE.filter((p) => words.every((w) => `${p.label} ${p.description} ${p.key}`.toLowerCase().includes(w)));
}

/** Builds the palette panel; `onAdd` gets the chosen entry. */
export function createPalette(onAdd: (entry: PaletteEntry) => void): HTMLElement {
  const list = h('div', { class: 'palette-list', role: 'list', 'aria-label': 'Node types' });
  const search = custom('vscode-text-field', { placeholder: 'Search nodes', 'aria-label': 'Search node types', 'data-testid': 'palette-search' });
  search.append(Object.assign(icon('search'), { slot: 'start' }));
  const render = (query: string): void => {
    list.replaceChildren(...filterPalette(query).map((p) => {
      const b = h('button', { class: 'palette-item', draggable: 'true', 'data-palette': p.key, title: `Add ${p.label} (${p.description}) after the selection, or drag it onto the canvas`, role: 'listitem' },
        icon(p.icon), h('span', { class: 'palette-label' }, p.label), h('span', { class: 'palette-desc' }, p.description));
      b.addEventListener('click', () => onAdd(p));
      b.addEventListener('dragstart', (e) => {
        e.dataTransfer?.setData(PALETTE_MIME, p.key);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'copy';
      });
      return b;
    }));
  };
  search.addEventListener('input', () => render((search as HTMLInputElement).value ?? ''));
  search.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') (list.querySelector('button') as HTMLButtonElement | null)?.click();
  });
  render('');
  return h('section', { class: 'palette', 'aria-label': 'Palette' }, h('h2', {}, 'Add node'), search, list);
}
