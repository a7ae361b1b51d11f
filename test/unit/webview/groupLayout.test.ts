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
import { wrapForScreen } from '../../../webview/editor/wrapRows';
import type { PlacedBox } from '../../../webview/editor/wrapRows';

const EM = 13;
const elk = new ELK();

/** The layout worker's ELK options (layoutWorker.ts; that module starts a worker, so it is not imported here). */
function optionsFor(n: number): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.edgeRouting': 'POLYLINE',
    'elk.spacing.nodeNode': '28',
    'elk.layered.spacing.nodeNodeBetweenLayers': '64',
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    'elk.padding': '[top=24,left=24,bottom=24,right=24]',
    'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    ...(n > 150 ? { 'elk.layered.thoroughness': '1', 'elk.layered.layering.strategy': 'LONGEST_PATH' } : {}),
  };
}

type Edge = { from: string; to: string };

/** What the layout worker does: ELK (compound nodes for groups), then wrapping for the screen. */
async function layout(ids: string[], edges: Edge[], groups: LayoutGroup[], direction: 'right' | 'down', screen?: { width: number; height: number }): Promise<PlacedBox[]> {
  const nodes = ids.map((id) => ({ id, width: 150, height: 60 }));
  const options = { ...optionsFor(nodes.length), 'elk.direction': direction === 'down' ? 'DOWN' : 'RIGHT' };
  const placed = placedBoxes(await elk.layout(elkGraph(nodes, edges, options, groups, groupPadding(EM))));
  const wrapped = screen ? wrapForScreen(placed, edges, screen, 0.92, direction, undefined, groups.map((g) => g.members)) : undefined;
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

  it('a long chain wrapped into rows never ends a row inside a group', async () => {
    const ids = [...Array(40).keys()].map((i) => `n${i}`);
    const edges = ids.slice(1).map((id, i) => ({ from: ids[i], to: id }));
    const screen = { width: 1000, height: 800 };
    const unwrapped = await layout(ids, edges, [], 'right', screen);
    // Find a group of six that the wrap cuts when laid out without it.
    const rowOf = (boxes: PlacedBox[], id: string): number => Math.round((boxes.find((b) => b.id === id) as PlacedBox).y);
    const start = ids.findIndex((_, i) => i + 5 < ids.length && rowOf(unwrapped, ids[i]) !== rowOf(unwrapped, ids[i + 5]));
    assert.ok(start >= 0, 'the chain is wrapped into rows');
    const group = { id: 'block', members: ids.slice(start, start + 6) };
    const boxes = await layout(ids, edges, [group], 'right', screen);
    assert.equal(new Set(group.members.map((id) => rowOf(boxes, id))).size, 1, 'the group in one row');
    assert.deepEqual(intruders(boxes, group.members), []);
    assert.ok(new Set(ids.map((id) => rowOf(boxes, id))).size > 1, 'still wrapped');
  });

  it('without groups the graph given to ELK is as before: flat, no hierarchy', () => {
    const graph = elkGraph([{ id: 'a', width: 1, height: 1 }, { id: 'b', width: 1, height: 1 }], [{ from: 'a', to: 'b' }, { from: 'a', to: 'zz' }], { 'elk.direction': 'RIGHT' }, [{ id: 'g', members: ['a'] }]);
    assert.deepEqual(graph, { id: 'root', layoutOptions: { 'elk.direction': 'RIGHT' }, children: [{ id: 'a', width: 1, height: 1 }, { id: 'b', width: 1, height: 1 }], edges: [{ id: 'e0', sources: ['a'], targets: ['b'] }] });
  });
});
