/**
 * A property edit on a big design redraws only what it changed (issue 13's 2,000-node target):
 * node views of untouched nodes are reused as they are, the inspector's inputs are stated so an
 * edit elsewhere keeps it, and the canvas is measured once per redraw.
 */
import * as assert from 'node:assert/strict';
import { applyEdits } from 'jsonc-parser';
import { documentSnapshot } from '../../../src/extension/documentSnapshot';
import { setNodeProperty } from '../../../src/model';
import type { DocumentSnapshot } from '../../../src/protocol';
import { bigNetworkText } from '../../webview/bigNetwork';
import { inspectorKey } from '../../../webview/editor/inspectorKey';
import { buildView, type ViewCache } from '../../../webview/editor/viewModel';

/** The viewport, loaded untyped: its DOM types are the webview's (webview/tsconfig.json), not the tests'. */
interface CanvasView { size(): { width: number; height: number }; fit(box: { x: number; y: number; width: number; height: number }): void; visible(): { width: number } }
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Viewport } = require('../../../webview/editor/viewport') as { Viewport: new (host: unknown, group: unknown, onChange: () => void) => CanvasView };

const measure = (s: string, bold: boolean): number => s.length * (bold ? 8 : 7);
const snapOf = (text: string, version = 1): DocumentSnapshot => structuredClone(documentSnapshot(text, version, 'big.nn').snapshot);
const edit = (text: string, id: string, key: string, value: string | number): string => applyEdits(text, setNodeProperty(text, id, key, value));

describe('redrawing after a property edit', () => {
  const text = bigNetworkText(200);

  it('reuses the views of untouched nodes and builds the edited one again, equal to a build from scratch', () => {
    const cache: ViewCache = new Map();
    const first = buildView(snapOf(text), new Set(), measure, 13, {}, new Map(), cache);
    const edited = edit(text, 't0_1', 'units', 99);
    const second = buildView(snapOf(edited, 2), new Set(), measure, 13, {}, new Map(), cache);
    const fresh = buildView(snapOf(edited, 2), new Set(), measure, 13);
    assert.deepEqual(second, fresh);
    const byId = new Map(first.nodes.map((v) => [v.id, v]));
    const rebuilt = second.nodes.filter((v) => byId.get(v.id) !== v).map((v) => v.id);
    // The edited layer, and the one it feeds (its parameter count follows the new width).
    assert.deepEqual(rebuilt.sort(), ['t0_1', 't0_2']);
    assert.equal(second.nodes.find((v) => v.id === 't0_1')?.subtitle, 'Dense · 99 units · relu');
  });

  it('builds every view again when the font size changes, and forgets deleted nodes', () => {
    const cache: ViewCache = new Map();
    const a = buildView(snapOf(text), new Set(), measure, 13, {}, new Map(), cache);
    const b = buildView(snapOf(text), new Set(), measure, 16, {}, new Map(), cache);
    assert.ok(b.nodes.every((v, i) => v !== a.nodes[i]));
    assert.deepEqual(b, buildView(snapOf(text), new Set(), measure, 16));
    const small = bigNetworkText(20);
    buildView(snapOf(small), new Set(), measure, 16, {}, new Map(), cache);
    assert.equal(cache.size, 20);
  });

  it('states the inspector\'s inputs: an edit elsewhere leaves them equal, one it shows changes them', () => {
    const before = snapOf(text);
    const other = snapOf(edit(text, 't3_1', 'activation', 'elu'), 2);
    const none = (s: DocumentSnapshot): string | undefined => inspectorKey(s, [], new Set(), '0');
    const one = (s: DocumentSnapshot): string | undefined => inspectorKey(s, ['t0_1'], new Set(), '0');
    // Nothing selected: the design's summary and training settings; one node: its fields.
    assert.equal(none(other), none(before));
    assert.equal(one(other), one(before));
    assert.notEqual(one(snapOf(edit(text, 't0_1', 'activation', 'elu'), 3)), one(before));
    assert.notEqual(inspectorKey(before, ['t0_1'], new Set(['t0_1']), '0'), one(before), 'shown as neurons');
    assert.notEqual(none(snapOf(edit(text, 'x', 'units', 3), 4)), none(before), 'the inputs choose the data kinds');
    const trained = snapOf(text.replace('"nodes": [', '"training": { "epochs": 7 },\n  "nodes": ['), 5);
    assert.notEqual(none(trained), none(before));
    assert.notEqual(inspectorKey(before, [], new Set(), '1'), none(before), 'a CSV preview or weights arrived');
    // A group or several nodes: built each time.
    assert.equal(inspectorKey(before, ['t0_1', 't0_2'], new Set(), '0'), undefined);
  });

  it('measures the canvas once while one redraw frames the graph, and afresh in the next task', async () => {
    let measured = 0;
    const host = { getBoundingClientRect: () => { measured++; return { left: 0, top: 0, width: 800, height: 600 }; } };
    const group = { setAttribute: () => undefined };
    const g = globalThis as { ResizeObserver?: unknown };
    const saved = g.ResizeObserver;
    delete g.ResizeObserver;
    try {
      const viewport: CanvasView = new Viewport(host, group, () => viewport.visible());
      // As a redraw does: the size before drawing, then Fit (whose change redraws the minimap's frame).
      assert.deepEqual(viewport.size(), { width: 800, height: 600 });
      viewport.fit({ x: 0, y: 0, width: 400, height: 300 });
      assert.equal(measured, 1);
      assert.equal(viewport.visible().width, 800);
      await Promise.resolve();
      viewport.fit({ x: 0, y: 0, width: 400, height: 300 });
      assert.equal(measured, 2);
    } finally {
      g.ResizeObserver = saved;
    }
  });
});
