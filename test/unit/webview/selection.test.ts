/** The editor's selection model: what it holds, and that its listeners hear each change once. */
import * as assert from 'node:assert/strict';
import { SelectionModel, selectionAnnouncement } from '../../../webview/editor/selection';

function watched(): { s: SelectionModel; calls: string[] } {
  const s = new SelectionModel();
  const calls: string[] = [];
  s.onChange((m) => calls.push(`${m.ids.join(',')}|${m.edge ? `${m.edge.from}->${m.edge.to}` : ''}`));
  return { s, calls };
}

describe('selection model', () => {
  it('select, toggle, add and clear keep the selection order; the last is focused', () => {
    const { s } = watched();
    s.select('a');
    s.toggle('b');
    s.add(['c', 'a', 'd']);
    assert.deepEqual(s.ids, ['a', 'b', 'c', 'd']);
    assert.equal(s.focused, 'd');
    s.toggle('d');
    assert.deepEqual([s.ids, s.focused, s.size, s.has('c'), s.has('d')], [['a', 'b', 'c'], 'c', 3, true, false]);
    s.select('b');
    assert.deepEqual(s.ids, ['b']);
    s.clear();
    assert.deepEqual([s.ids, s.focused], [[], undefined]);
  });

  it('an edge is selected alone, and a node selection replaces it', () => {
    const { s } = watched();
    s.select('a');
    s.selectEdge({ from: 'a', to: 'b' });
    assert.deepEqual([s.ids, s.edge, s.hasEdge('a', 'b'), s.hasEdge('b', 'a')], [[], { from: 'a', to: 'b' }, true, false]);
    s.select('c');
    assert.equal(s.edge, undefined);
    s.selectEdge({ from: 'a', to: 'b' });
    s.toggle('c');
    assert.equal(s.edge, undefined);
  });

  it('notifies each listener once per change', () => {
    const { s, calls } = watched();
    let second = 0;
    s.onChange(() => second++);
    s.select('a');
    s.toggle('b');
    s.add(['c', 'd']);
    s.selectEdge({ from: 'a', to: 'b' });
    s.clear();
    assert.deepEqual(calls, ['a|', 'a,b|', 'a,b,c,d|', '|a->b', '|']);
    assert.equal(second, 5);
  });

  it('does not notify when nothing changes', () => {
    const { s, calls } = watched();
    s.clear();
    s.select('a');
    s.select('a');
    s.add(['a']);
    s.add([]);
    s.selectEdge({ from: 'x', to: 'y' });
    s.selectEdge({ from: 'x', to: 'y' });
    s.clear();
    s.clear();
    s.retain(() => true, () => true);
    assert.deepEqual(calls, ['a|', '|x->y', '|']);
  });

  it('retain drops deleted nodes and a deleted edge, and tells once', () => {
    const { s, calls } = watched();
    s.add(['a', 'b', 'c']);
    s.retain((id) => id !== 'b', () => true);
    assert.deepEqual(s.ids, ['a', 'c']);
    s.retain(() => true, () => true);
    s.clear();
    s.selectEdge({ from: 'a', to: 'c' });
    s.retain(() => true, (from, to) => !(from === 'a' && to === 'c'));
    assert.equal(s.edge, undefined);
    assert.deepEqual(calls, ['a,b,c|', 'a,c|', '|', '|a->c', '|']);
  });

  it('the keyboard focus moves on its own (Ctrl+arrow), extends (Shift+arrow), toggles (Ctrl+Space) and survives Escape', () => {
    const { s, calls } = watched();
    s.select('a');
    s.focus('b');
    assert.deepEqual([s.ids, s.focused, s.has('b')], [['a'], 'b', false]);
    s.toggleFocused();
    assert.deepEqual([s.ids, s.focused], [['a', 'b'], 'b']);
    s.toggleFocused();
    assert.deepEqual([s.ids, s.focused], [['a'], 'b'], 'taken out, still focused');
    s.extend('c');
    s.extend('a');
    assert.deepEqual([s.ids, s.focused], [['a', 'c'], 'a'], 'extending onto a selected node moves the focus only');
    s.selectAll(['x', 'a', 'c', 'x']);
    assert.deepEqual([s.ids, s.focused], [['x', 'a', 'c'], 'a']);
    s.clear(true);
    assert.deepEqual([s.ids, s.focused], [[], 'a']);
    s.retain((id) => id !== 'a', () => true);
    assert.equal(s.focused, undefined, 'a deleted node loses the focus');
    s.select('d');
    s.clear();
    assert.equal(s.focused, undefined);
    assert.equal(calls.length, 11);
  });

  it('announces the focused node, whether it is selected, and how many are', () => {
    assert.equal(selectionAnnouncement('a, Dense', true, 1), 'a, Dense');
    assert.equal(selectionAnnouncement('a, Dense', true, 3), 'a, Dense, selected. 3 nodes selected.');
    assert.equal(selectionAnnouncement('b, Dense', false, 1), 'b, Dense, not selected. 1 node selected.');
    assert.equal(selectionAnnouncement('b, Dense', false, 0), 'b, Dense, not selected. No nodes selected.');
  });

  it('an unsubscribed listener hears nothing more', () => {
    const s = new SelectionModel();
    let n = 0;
    const off = s.onChange(() => n++);
    s.select('a');
    off();
    s.select('b');
    assert.equal(n, 1);
  });
});
