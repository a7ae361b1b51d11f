/**
 * The inspector of a selected group's box: its label (edited in place), what flows in and out,
 * its parameter total and members, and buttons to expand and to ungroup.
 */
import type { NodeGroup } from '../../src/model/types';
import type { DocumentSnapshot } from '../../src/protocol';
import { custom, h } from './dom';
import { groupSummary } from './groupView';
import { field, textField } from './inspectorFields';

/** What the group inspector asks the app to do. */
export interface GroupInspectorActions {
  setGroupLabel(id: string, label: string): void;
  toggleGroup(id: string): void;
  ungroup(id: string): void;
}

/** The inspector's parts for group `g`. */
export function groupInspector(g: NodeGroup, snap: DocumentSnapshot, actions: GroupInspectorActions): HTMLElement[] {
  const doc = snap.doc;
  const known = new Set(doc?.nodes.map((n) => n.id));
  const members = [...new Set(g.nodes)].filter((id) => known.has(id));
  const sum = doc ? groupSummary({ members }, doc, snap) : undefined;
  const expand = custom('vscode-button', { 'data-action': 'toggle-group' }, g.collapsed ? 'Expand' : 'Collapse');
  expand.addEventListener('click', () => actions.toggleGroup(g.id));
  const ungroup = custom('vscode-button', { appearance: 'secondary', 'data-action': 'ungroup' }, 'Ungroup');
  ungroup.addEventListener('click', () => actions.ungroup(g.id));
  return [
    h('h2', {}, g.label?.trim() ? g.label : g.id, h('span', { class: 'type-tag' }, 'group')),
    field('Label', textField('group-label', g.label ?? '', (v) => actions.setGroupLabel(g.id, v))),
    h('dl', { class: 'summary', 'data-testid': 'group-summary' },
      h('dt', {}, 'Id'), h('dd', {}, g.id),
      h('dt', {}, 'Layers'), h('dd', {}, String(members.length)),
      h('dt', {}, 'Input'), h('dd', {}, sum?.inputs.join(', ') || '—'),
      h('dt', {}, 'Output'), h('dd', {}, sum?.outputs.join(', ') || '—'),
      h('dt', {}, 'Parameters'), h('dd', {}, (sum?.params ?? 0).toLocaleString('en-US'))),
    h('p', { class: 'hint' }, `Members: ${members.join(', ')}`),
    h('div', { class: 'buttons' }, expand, ungroup),
  ];
}
