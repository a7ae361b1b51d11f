/**
 * The inspector beside the graph: edits the selected node's properties with the webview UI
 * toolkit's controls. Each committed change becomes one intent (rename, setProperty).
 */
import { ACTIVATION_NAMES } from '../../src/model/types';
import { kindText, NODE_PROPERTY_KINDS, numberTyped } from '../../src/model/fieldRules';
import { own } from '../../src/model/ownKeys';
import type { Diagnostic, NetworkNode } from '../../src/model/types';
import type { DocumentSnapshot, JsonValue } from '../../src/protocol';
import { custom, h, icon } from './dom';
import { canExpand, shapeText } from './viewModel';

/** What the inspector asks the app to do. */
export interface InspectorActions {
  setProperty(id: string, key: string, value: JsonValue | undefined): void;
  rename(oldId: string, newId: string): void;
  remove(ids: string[]): void;
  unpin(ids: string[]): void;
  toggleExpand(id: string): void;
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div', { class: 'field' }, h('label', {}, label), control, ...(hint ? [h('div', { class: 'hint' }, hint)] : []));
}

function textField(name: string, value: string, onCommit: (v: string) => void, attrs: Record<string, string> = {}): HTMLElement {
  const f = custom('vscode-text-field', { 'data-field': name, 'aria-label': name, value, ...attrs });
  (f as HTMLInputElement).value = value;
  f.addEventListener('change', () => {
    const v = ((f as HTMLInputElement).value ?? '').trim();
    if (v !== value) onCommit(v);
  });
  return f;
}

function numberField(name: string, value: number | undefined, parse: (v: string) => number | undefined, problem: string, onCommit: (v: number | undefined) => void, showError: (m: string) => void): HTMLElement {
  return textField(name, value === undefined ? '' : String(value), (v) => {
    if (v === '') return onCommit(undefined);
    const n = parse(v);
    if (n === undefined) showError(`${v} is not valid for ${name}: ${problem}.`);
    else onCommit(n);
  }, { inputmode: 'decimal' });
}

/** What property `key` accepts, in words ("a number ≥ 0"). */
function ruleOf(key: 'units' | 'alpha' | 'rate'): string {
  return kindText(NODE_PROPERTY_KINDS[key]);
}

function diagnosticList(diags: Diagnostic[]): HTMLElement {
  return h('ul', { class: 'diagnostics', 'aria-label': 'Problems' }, ...diags.map((d) =>
    h('li', { class: `diag diag-${d.severity}` }, icon(d.severity === 'info' ? 'info' : d.severity), ` ${d.message} `, h('span', { class: 'diag-code' }, `[${d.code}] line ${d.range.start.line + 1}`))));
}

/** Renders the inspector for the current selection into `root`. */
export function renderInspector(root: HTMLElement, snap: DocumentSnapshot, selected: readonly string[], expanded: ReadonlySet<string>, actions: InspectorActions, showError: (m: string) => void): void {
  const doc = snap.doc;
  const focusedField = (document.activeElement as HTMLElement | null)?.closest?.('[data-field]')?.getAttribute('data-field');
  const parts: HTMLElement[] = [];
  const nodes = doc ? selected.map((id) => doc.nodes.find((n) => n.id === id)).filter((n): n is NetworkNode => !!n) : [];
  if (!doc) {
    parts.push(h('p', {}, 'The file cannot be read as a network.'));
  } else if (nodes.length === 0) {
    parts.push(h('h2', {}, doc.name ?? snap.fileName));
    if (doc.description) parts.push(h('p', { class: 'hint' }, doc.description));
    parts.push(h('dl', { class: 'summary' },
      h('dt', {}, 'Nodes'), h('dd', {}, String(doc.nodes.length)),
      h('dt', {}, 'Parameters'), h('dd', { 'data-testid': 'total-params' }, snap.totalParams === undefined ? '—' : snap.totalParams.toLocaleString('en-US')),
      ...(doc.training?.loss ? [h('dt', {}, 'Loss'), h('dd', {}, doc.training.loss)] : [])));
    parts.push(h('p', { class: 'hint' }, 'Select a node to edit it (click, or Tab into the graph and use the arrow keys). Enter opens its properties.'));
    if (snap.diagnostics.length) parts.push(diagnosticList(snap.diagnostics));
  } else if (nodes.length > 1) {
    parts.push(h('h2', {}, `${nodes.length} nodes selected`));
    const del = custom('vscode-button', { appearance: 'secondary', 'data-action': 'delete' }, 'Delete selected');
    del.addEventListener('click', () => actions.remove(nodes.map((n) => n.id)));
    parts.push(del);
  } else {
    const n = nodes[0];
    const info = own(snap.nodes, n.id) ?? {};
    parts.push(h('h2', {}, `${n.id}`, h('span', { class: 'type-tag' }, n.type)));
    parts.push(field('Id', textField('id', n.id, (v) => actions.rename(n.id, v))));
    parts.push(field('Label', textField('label', n.label ?? '', (v) => actions.setProperty(n.id, 'label', v === '' ? undefined : v))));
    if (n.type === 'input' || n.type === 'dense') {
      parts.push(field(n.type === 'input' ? 'Features' : 'Units', numberField('units', n.units, (v) => numberTyped('units', v), ruleOf('units'), (v) => {
        if (v === undefined) showError('units cannot be empty.');
        else actions.setProperty(n.id, 'units', v);
      }, showError)));
    }
    if (n.type === 'dense' || n.type === 'activation') {
      const dd = custom('vscode-dropdown', { 'data-field': 'activation', 'aria-label': 'Activation' });
      const current = n.activation ?? 'linear';
      for (const a of ACTIVATION_NAMES) dd.append(custom('vscode-option', { value: a, selected: a === current }, a));
      dd.addEventListener('change', () => {
        const v = (dd as HTMLSelectElement).value;
        if (v && v !== current) actions.setProperty(n.id, 'activation', n.type === 'dense' && v === 'linear' ? undefined : v);
      });
      parts.push(field('Activation', dd));
      if (current === 'leaky_relu' || current === 'elu') {
        parts.push(field('Alpha', numberField('alpha', n.alpha, (v) => numberTyped('alpha', v), ruleOf('alpha'), (v) => actions.setProperty(n.id, 'alpha', v), showError)));
      }
    }
    if (n.type === 'dense') {
      const cb = custom('vscode-checkbox', { 'data-field': 'useBias', checked: n.useBias !== false }, 'Use bias');
      cb.addEventListener('change', () => {
        const checked = (cb as HTMLInputElement).checked;
        if (checked !== (n.useBias !== false)) actions.setProperty(n.id, 'useBias', checked ? undefined : false);
      });
      parts.push(field('Bias', cb));
    }
    if (n.type === 'dropout') {
      parts.push(field('Rate', numberField('rate', n.rate, (v) => numberTyped('rate', v), ruleOf('rate'), (v) => {
        if (v === undefined) showError('rate cannot be empty.');
        else actions.setProperty(n.id, 'rate', v);
      }, showError)));
    }
    parts.push(h('dl', { class: 'summary' },
      h('dt', {}, 'Output'), h('dd', { 'data-testid': 'inspector-shape' }, shapeText(info.shape)),
      h('dt', {}, 'Parameters'), h('dd', { 'data-testid': 'inspector-params', title: info.formula ?? '' }, info.formula ?? (info.params !== undefined ? String(info.params) : '—'))));
    const buttons = h('div', { class: 'buttons' });
    if (canExpand(n)) {
      const b = custom('vscode-button', { appearance: 'secondary', 'data-action': 'expand' }, expanded.has(n.id) ? 'Show as block' : 'Show neurons');
      b.addEventListener('click', () => actions.toggleExpand(n.id));
      buttons.append(b);
    }
    if (own(doc?.layout?.pinned, n.id)) {
      const b = custom('vscode-button', { appearance: 'secondary', 'data-action': 'unpin' }, 'Unpin');
      b.addEventListener('click', () => actions.unpin([n.id]));
      buttons.append(b);
    }
    const del = custom('vscode-button', { appearance: 'secondary', 'data-action': 'delete' }, 'Delete');
    del.addEventListener('click', () => actions.remove([n.id]));
    buttons.append(del);
    parts.push(buttons);
    const diags = snap.diagnostics.filter((d) => d.nodeId === n.id);
    if (diags.length) parts.push(diagnosticList(diags));
  }
  root.replaceChildren(...parts);
  if (focusedField) (root.querySelector(`[data-field="${focusedField}"]`) as HTMLElement | null)?.focus();
}
