/**
 * An expanded group's members laid out together (issue 13): with ELK itself (as the layout worker
 * runs it), a group whose members are neither consecutive in the file nor on one branch gets one
 * region of the drawing — the frame round its members (their box, the frame's margin and header)
 * holds no other node — in both directions and when a long chain is wrapped into rows.
 */
import * as assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import { elkGraph, FRAME_HEAD_EM, FRAME_PAD_EM, groupPadding, placedBoxes } from '../../../webview/editor/elkGraph';
import type { LayoutGroup } from '../../../webview/editor/elkGraph';
import { wrapForScreen, wrappable, wrapRows } from '../../../webview/editor/wrapRows';
import type { PlacedBox } from '../../../webview/editor/wrapRows';
import { optionsFor } from '../../../webview/editor/elkOptions';

const EM = 13;
const elk = new ELK();

type Edge = { from: string; to: string };

/** What the layout worker does: ELK (compound nodes for groups), then wrapping for the screen. */
async function layout(ids: string[], edges: Edge[], groups: LayoutGroup[], direction: 'right' | 'down', screen?: { width: number; height: number }): Promise<PlacedBox[]> {
  const nodes = ids.map((id) => ({ id, width: 150, height: 60 }));
  const options = { ...optionsFor(nodes.length), 'elk.direction': direction === 'down' ? 'DOWN' : 'RIGHT' };
  const placed = placedBoxes(await elk.layout(elkGraph(nodes, edges, options, groups, groupPadding(EM))));
  const wrapped = screen ? wrapForScreen(placed, edges, screen, 0.92, direction, undefined, groups.map((g) => g.members), groupPadding(EM).top) : undefined;
  return placed.map((b) => ({ ...b, ...(wrapped?.get(b.id) ?? {}) }));
}

/** The frame groupDrawing.ts draws round `members`, and the nodes other than members inside it. */
function intruders(boxes: PlacedBox[], members: readonly string[]): string[] {
  const inside = boxes.filter((b) => members.includes(b.id));
  assert.equal(inside.length, members.length, 'every member placed');
  const pad = EM * FRAME_PAD_EM, head = EM * FRAME_HEAD_EM;
  const x0 = Math.min(...inside.map((b) => b.x)) - pad, y0 = Math.min(...inside.map((b) => b.y)) - pad - head;
  const x1 = Math.max(...inside.map((b) => b.x + b.width)) + pad, y1 = Math.max(...inside.map((b) => b.y + b.height)) + pad;
  return boxes.filter((b) => !members.includes(b.id) && b.x < x1 && b.x + b.width > x0 && b.y < y1 && b.y + b.height > y0).map((b) => b.id);
}

/** Two branches from x to a join: a1 → a2 → a3 and b1 → b2 → b3. */
const branchIds = ['x', 'a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'join', 'out'];
const branchEdges: Edge[] = [
  { from: 'x', to: 'a1' }, { from: 'a1', to: 'a2' }, { from: 'a2', to: 'a3' }, { from: 'a3', to: 'join' },
  { from: 'x', to: 'b1' }, { from: 'b1', to: 'b2' }, { from: 'b2', to: 'b3' }, { from: 'b3', to: 'join' },
  { from: 'join', to: 'out' },
];

describe('group layout: an expanded group\'s members together in one frame', () => {
  it('a group taken across two branches (not consecutive in the file) gets a frame with no other node in it, left to right and top to bottom', async () => {
    const group = { id: 'g', members: ['a1', 'b2'] };
    for (const direction of ['right', 'down'] as const) {
      const flat = await layout(branchIds, branchEdges, [], direction);
      assert.ok(intruders(flat, group.members).length > 0, 'laid out without the group, its frame would take in other nodes');
      const grouped = await layout(branchIds, branchEdges, [group], direction);
      assert.deepEqual(intruders(grouped, group.members), [], direction);
      assert.equal(grouped.length, branchIds.length);
    }
  });

  it('two groups, each kept together, and the edges inside a group stay inside it', async () => {
    const groups = [{ id: 'first', members: ['a2', 'a3', 'b1'] }, { id: 'second', members: ['b2', 'b3'] }];
    const graph = elkGraph(branchIds.map((id) => ({ id, width: 150, height: 60 })), branchEdges, optionsFor(9), groups, groupPadding(EM));
    const second = graph.children?.find((c) => c.children?.some((k) => k.id === 'b2'));
    assert.deepEqual(second?.edges?.map((e) => [e.sources[0], e.targets[0]]), [['b2', 'b3']]);
    const boxes = await layout(branchIds, branchEdges, groups, 'right');
    for (const g of groups) assert.deepEqual(intruders(boxes, g.members), [], g.id);
  });

  it('a long chain wrapped into rows: a group that fits in a row stays in one; a wider one takes rows of its own', async () => {
    const ids = [...Array(40).keys()].map((i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => ({ from: ids[i], to: id }));
    const screen = { width: 1000, height: 800 };
    const rowOf = (boxes: PlacedBox[], id: string): number => Math.round((boxes.find((b) => b.id === id) as PlacedBox).y);
    const unwrapped = await layout(ids, edges, [], 'right', screen);
    assert.ok(new Set(ids.map((id) => rowOf(unwrapped, id))).size > 3, 'the chain is wrapped into rows');
    // Three layers the wrap cuts when laid out without the group.
    const start = ids.findIndex((_, i) => i + 2 < ids.length && rowOf(unwrapped, ids[i]) !== rowOf(unwrapped, ids[i + 2]));
    const small = { id: 'small', members: ids.slice(start, start + 3) };
    const boxes = await layout(ids, edges, [small], 'right', screen);
    assert.equal(new Set(small.members.map((id) => rowOf(boxes, id))).size, 1, 'the small group in one row');
    assert.deepEqual(intruders(boxes, small.members), []);
    // Eight layers are wider than the canvas: rows of their own, nothing else in them.
    const wide = { id: 'wide', members: ids.slice(13, 21) };
    const wrapped = await layout(ids, edges, [wide], 'right', screen);
    const rows = new Set(wide.members.map((id) => rowOf(wrapped, id)));
    assert.ok(rows.size > 1, 'the wide group is wrapped too');
    assert.deepEqual(ids.filter((id) => !wide.members.includes(id) && rows.has(rowOf(wrapped, id))), [], 'its rows hold only its members');
    assert.deepEqual(intruders(wrapped, wide.members), []);
  });

  it('a row where a group begins has room above it for the frame\'s header; the rows inside a wide group do not', () => {
    // Twelve boxes 100 wide, 50 apart; rows at most 400 wide (three boxes).
    const boxes = [...Array(12).keys()].map((i) => ({ id: `n${i}`, x: i * 150, y: 0, width: 100, height: 40 }));
    const edges = boxes.slice(1).map((b, i) => ({ from: boxes[i].id, to: b.id }));
    const tops = (at: Map<string, { x: number; y: number }>): number[] => [...new Set(boxes.map((b) => (at.get(b.id) as { y: number }).y))];
    assert.deepEqual(tops(wrapRows(boxes, edges, 400, 64, 30) as Map<string, { x: number; y: number }>), [0, 104, 208, 312], 'no groups: rowGap only');
    const small = wrappable(boxes, edges, [['n4', 'n5']]);
    assert.ok(small);
    const at = wrapRows(small, edges, 400, 64, 30) as Map<string, { x: number; y: number }>;
    assert.equal(at.get('n4')?.y, at.get('n5')?.y, 'a group that fits stays in one row');
    assert.deepEqual(tops(at).slice(0, 2), [0, 134], 'room above the row where it begins');
    const wide = wrappable(boxes, edges, [['n3', 'n4', 'n5', 'n6', 'n7', 'n8']]);
    assert.ok(wide);
    const w = wrapRows(wide, edges, 400, 64, 30) as Map<string, { x: number; y: number }>;
    assert.deepEqual(['n3', 'n6', 'n9'].map((id) => w.get(id)?.y), [134, 238, 342], 'the wide group starts a row (with room for its header), its second row follows at rowGap, and the next row starts after it');
  });

  it('without groups the graph given to ELK is as before: flat, no hierarchy', () => {
    const graph = elkGraph([{ id: 'a', width: 1, height: 1 }, { id: 'b', width: 1, height: 1 }], [{ from: 'a', to: 'b' }, { from: 'a', to: 'zz' }], { 'elk.direction': 'RIGHT' }, [{ id: 'g', members: ['a'] }]);
    assert.deepEqual(graph, { id: 'root', layoutOptions: { 'elk.direction': 'RIGHT' }, children: [{ id: 'a', width: 1, height: 1 }, { id: 'b', width: 1, height: 1 }], edges: [{ id: 'e0', sources: ['a'], targets: ['b'] }] });
  });
});
