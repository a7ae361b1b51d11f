import * as assert from 'node:assert/strict';
import { quickLayout } from '../../../webview/editor/quickLayout';
import type { QuickNode } from '../../../webview/editor/quickLayout';
import { bigNetwork } from '../../webview/bigNetwork';

type Pos = Map<string, { x: number; y: number }>;

function assertNoOverlap(nodes: QuickNode[], pos: Pos): void {
  const rects = nodes.map((n) => ({ id: n.id, ...(pos.get(n.id) as { x: number; y: number }), width: n.width, height: n.height }));
  for (const r of rects) assert.ok(Number.isFinite(r.x) && Number.isFinite(r.y), `${r.id} has a place`);
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      assert.ok(!overlap, `${a.id} overlaps ${b.id}`);
    }
  }
}

function boxes(ids: string[], size = (i: number) => ({ width: 120 + (i % 3) * 40, height: 50 + (i % 4) * 12 })): QuickNode[] {
  return ids.map((id, i) => ({ id, ...size(i) }));
}

describe('quick layout (drawn while ELK starts)', () => {
  it('places every node left to right along the edges, without overlaps, on a 500-node network', () => {
    const doc = bigNetwork(500);
    const nodes = boxes(doc.nodes.map((n) => n.id));
    const pos = quickLayout(nodes, doc.edges);
    assert.equal(pos.size, nodes.length);
    assertNoOverlap(nodes, pos);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    for (const e of doc.edges) {
      const a = pos.get(e.from) as { x: number }, b = pos.get(e.to) as { x: number };
      assert.ok(b.x >= a.x + (byId.get(e.from) as QuickNode).width, `${e.from} → ${e.to} runs left to right`);
    }
  });

  it('keeps pinned nodes at their pins and lays the others around them', () => {
    const nodes = boxes(['a', 'b', 'c', 'd', 'e']);
    const edges = [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'a', to: 'd' }, { from: 'd', to: 'e' }];
    // Pinned right where the free layout would put the second column.
    const pinned = { b: { x: 24, y: 24 }, e: { x: 230, y: 60 } };
    const pos = quickLayout(nodes, edges, pinned);
    assert.deepEqual(pos.get('b'), { x: 24, y: 24 });
    assert.deepEqual(pos.get('e'), { x: 230, y: 60 });
    assertNoOverlap(nodes, pos);
  });

  it('handles cycles, self loops, unknown ends, unconnected nodes and an empty graph without throwing', () => {
    const nodes = boxes(['a', 'b', 'c', 'lonely', 'd']);
    const edges = [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'c' }, { from: 'c', to: 'ghost' }, { from: 'd', to: 'a' }];
    const pos = quickLayout(nodes, edges);
    assert.equal(pos.size, 5);
    assertNoOverlap(nodes, pos);
    assert.ok((pos.get('b') as { x: number }).x > (pos.get('a') as { x: number }).x);
    assert.equal(quickLayout([], []).size, 0);
  });

  it('orders a layer by its predecessors, so branches do not cross needlessly', () => {
    const nodes = boxes(['x', 'p', 'q', 'q1', 'p1'], () => ({ width: 100, height: 40 }));
    const pos = quickLayout(nodes, [{ from: 'x', to: 'p' }, { from: 'x', to: 'q' }, { from: 'q', to: 'q1' }, { from: 'p', to: 'p1' }]);
    const y = (id: string): number => (pos.get(id) as { y: number }).y;
    assert.equal(Math.sign(y('p') - y('q')), Math.sign(y('p1') - y('q1')));
  });
});
