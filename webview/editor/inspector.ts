/**
 * The inspector beside the graph: edits the selected node's properties with the webview UI
 * toolkit's controls. Each committed change becomes one intent (rename, setProperty).
 */
import { ACTIVATION_NAMES } from '../../src/model/types';
import { own } from '../../src/model/ownKeys';
import type { Diagnostic, NetworkNode } from '../../src/model/types';
import type { CsvPreview, DocumentSnapshot, JsonValue } from '../../src/protocol';
import { custom, h, icon } from './dom';
import { checkbox, dropdown, field, numberField, textField } from './inspectorFields';
import { imageFields } from './inspectorImageFields';
import { settingsInspector, type SettingsActions } from './inspectorSettings';
import { groupInspector, type GroupInspectorActions } from './groupInspector';
import { canExpand, shapeText } from './viewModel';

/** What the inspector asks the app to do. */
export interface InspectorActions extends SettingsActions, GroupInspectorActions {
  setProperty(id: string, key: string, value: JsonValue | undefined): void;
  rename(oldId: string, newId: string): void;
  remove(ids: string[]): void;
  unpin(ids: string[]): void;
  toggleExpand(id: string): void;
}

function diagnosticList(diags: Diagnostic[]): HTMLElement {
  return h('ul', { class: 'diagnostics', 'aria-label': 'Problems' }, ...diags.map((d) =>
    h('li', { class: `diag diag-${d.severity}` }, icon(d.severity === 'info' ? 'info' : d.severity), ` ${d.message} `, h('span', { class: 'diag-code' }, `[${d.code}] line ${d.range.start.line + 1}`))));
}

/** Renders the inspector for the current selection into `root`. */
export function renderInspector(root: HTMLElement, snap: DocumentSnapshot, selected: readonly string[], expanded: ReadonlySet<string>, actions: InspectorActions, showError: (m: string) => void, csvPreview?: CsvPreview): void {
  const doc = snap.doc;
  const focusedField = (document.activeElement as HTMLElement | null)?.closest?.('[data-field]')?.getAttribute('data-field');
  const parts: HTMLElement[] = [];
  const nodes = doc ? selected.map((id) => doc.nodes.find((n) => n.id === id)).filter((n): n is NetworkNode => !!n) : [];
  // A collapsed group's box is selected by the group's id.
  const group = doc && nodes.length === 0 && selected.length === 1 ? doc.groups?.find((g) => g.id === selected[0]) : undefined;
  if (!doc) {
    parts.push(h('p', {}, 'The file cannot be read as a network.'));
  } else if (group) {
    parts.push(...groupInspector(group, snap, actions));
  } else if (nodes.length === 0) {
    parts.push(h('h2', {}, doc.name ?? snap.fileName));
    if (doc.description) parts.push(h('p', { class: 'hint' }, doc.description));
    parts.push(h('dl', { class: 'summary' },
      h('dt', {}, 'Nodes'), h('dd', {}, String(doc.nodes.length)),
      h('dt', {}, 'Parameters'), h('dd', { 'data-testid': 'total-params' }, snap.totalParams === undefined ? '—' : snap.totalParams.toLocaleString('en-US')),
      ...(doc.training?.loss ? [h('dt', {}, 'Loss'), h('dd', {}, doc.training.loss)] : [])));
    parts.push(h('p', { class: 'hint' }, 'Select a node to edit it (click, or Tab into the graph and use the arrow keys). Enter opens its properties; C connects it to another node; Shift+arrow or Ctrl+Space selects several, Ctrl+A all, Escape none; Ctrl+G groups the selection; Ctrl+F finds a node by name or type.'));
    if (snap.diagnostics.length) parts.push(diagnosticList(snap.diagnostics));
    parts.push(settingsInspector(doc, csvPreview, actions, showError));
  } else if (nodes.length > 1) {
    parts.push(h('h2', {}, `${nodes.length} nodes selected`));
    parts.push(h('p', { class: 'hint' }, 'Ctrl+G groups them; Delete deletes them. Shift+arrow adds the next node, Ctrl+arrow moves without selecting and Ctrl+Space adds or takes out the node there; Escape selects none.'));
    const del = custom('vscode-button', { appearance: 'secondary', 'data-action': 'delete' }, 'Delete selected');
    del.addEventListener('click', () => actions.remove(nodes.map((n) => n.id)));
    parts.push(del);
  } else {
    const n = nodes[0];
    const info = own(snap.nodes, n.id) ?? {};
    parts.push(h('h2', {}, `${n.id}`, h('span', { class: 'type-tag' }, n.type)));
    parts.push(field('Id', textField('id', n.id, (v) => actions.rename(n.id, v))));
    parts.push(field('Label', textField('label', n.label ?? '', (v) => actions.setProperty(n.id, 'label', v === '' ? undefined : v))));
    if ((n.type === 'input' && !n.shape) || n.type === 'dense') {
      parts.push(field(n.type === 'input' ? 'Features' : 'Units', numberField('units', n.units, (v) => {
        if (v === undefined) showError('units cannot be empty.');
        else actions.setProperty(n.id, 'units', v);
      }, showError)));
    }
    parts.push(...imageFields(n, actions.setProperty, showError));
    if (n.type === 'dense' || n.type === 'activation' || n.type === 'conv2d') {
      const current = n.activation ?? 'linear';
      parts.push(field('Activation', dropdown('activation', 'Activation', ACTIVATION_NAMES, current, (v) =>
        actions.setProperty(n.id, 'activation', n.type !== 'activation' && v === 'linear' ? undefined : v))));
      if (current === 'leaky_relu' || current === 'elu') {
        parts.push(field('Alpha', numberField('alpha', n.alpha, (v) => actions.setProperty(n.id, 'alpha', v), showError)));
      }
    }
    if (n.type === 'dense' || n.type === 'conv2d') {
      parts.push(field('Bias', checkbox('useBias', 'Use bias', n.useBias !== false, (checked) => actions.setProperty(n.id, 'useBias', checked ? undefined : false))));
    }
    if (n.type === 'dropout') {
      parts.push(field('Rate', numberField('rate', n.rate, (v) => {
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
