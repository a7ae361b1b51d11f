/**
 * Readable by default, the pure parts: the readable zoom Fit keeps to, long chains wrapped into
 * rows as wide as the canvas, the direction chosen from the graph's shape and the canvas, and the
 * layout policy asking for all of it.
 */
import * as assert from 'node:assert/strict';
import { boundsOf } from '../../../webview/editor/geometry';
import type { Box } from '../../../webview/editor/geometry';
import { chooseDirection } from '../../../webview/editor/layoutDirection';
import { LayoutPolicy, quickPlaces } from '../../../webview/editor/layoutPolicy';
import type { LayoutOptions } from '../../../webview/editor/layoutPolicy';
import { fitTransformScale, readableScale } from '../../../webview/editor/readableScale';
import { wrapForScreen, wrapRows } from '../../../webview/editor/wrapRows';
import type { PlacedBox } from '../../../webview/editor/wrapRows';
import type { ViewEdge, ViewNode } from '../../../webview/editor/viewModel';

const W = 150, H = 60, GAP = 64;
/** A chain of `n` boxes laid out in one row, as ELK draws it. */
function row(n: number): { boxes: PlacedBox[]; edges: { from: string; to: string }[] } {
  const boxes = [...Array(n).keys()].map((i) => ({ id: `n${i}`, x: 24 + i * (W + GAP), y: 24, width: W, height: H }));
  return { boxes, edges: boxes.slice(1).map((b, i) => ({ from: boxes[i].id, to: b.id })) };
}
const extent = (boxes: PlacedBox[], at: ReadonlyMap<string, { x: number; y: number }>): Box => boundsOf(boxes.map((b) => ({ ...b, ...(at.get(b.id) ?? b) })));

describe('readable layout', () => {
  it('Fit keeps node text at 11 px or more: the smallest (0.92 em) at the default 13 px font needs 92 %', () => {
    assert.ok(Math.abs(readableScale(13) * 0.92 * 13 - 11) < 1e-9);
    assert.equal(readableScale(10), 1, 'a small font is not enlarged past 100 %');
    const screen = { width: 1000, height: 800 };
    assert.equal(fitTransformScale({ width: 400, height: 300 }, screen, 32, readableScale(13)), 1, 'a small graph at 100 %');
    assert.equal(fitTransformScale({ width: 1000, height: 300 }, screen, 32, readableScale(13)), Math.max(936 / 1000, readableScale(13)));
    assert.equal(fitTransformScale({ width: 40_000, height: 300 }, screen, 32, readableScale(13)), readableScale(13), 'a huge graph stays readable (it scrolls)');
    assert.ok(fitTransformScale({ width: 40_000, height: 300 }, screen) < 0.05 + 1e-9, 'without the floor it would be a dotted line');
  });

  it('wraps a long chain into rows no wider than asked, stacked in order, every node kept', () => {
    const { boxes, edges } = row(20);
    const at = wrapRows(boxes, edges, 900)!;
    assert.equal(at.size, 20);
    const b = extent(boxes, at);
    assert.ok(b.width <= 900, `rows ${b.width} wide`);
    // Row after row, left to right within a row, like lines of text.
    const order = boxes.map((x) => at.get(x.id)!).map((p) => p.y * 1e6 + p.x);
    assert.deepEqual([...order].sort((p, q) => p - q), order);
    assert.ok(at.get('n19')!.y > at.get('n0')!.y + H, 'the end is on a later row');
  });

  it('never cuts through a branch: only where one edge crosses', () => {
    // x → a, x → b, a + b → m, then a chain: the diamond stays on one row.
    const boxes: PlacedBox[] = [
      { id: 'x', x: 0, y: 50, width: W, height: H }, { id: 'a', x: 214, y: 0, width: W, height: H }, { id: 'b', x: 214, y: 100, width: W, height: H },
      { id: 'm', x: 428, y: 50, width: W, height: H }, { id: 'c', x: 642, y: 50, width: W, height: H }, { id: 'd', x: 856, y: 50, width: W, height: H },
    ];
    const edges = [{ from: 'x', to: 'a' }, { from: 'x', to: 'b' }, { from: 'a', to: 'm' }, { from: 'b', to: 'm' }, { from: 'm', to: 'c' }, { from: 'c', to: 'd' }];
    const at = wrapRows(boxes, edges, 300)!;
    const bottom = Math.max(...['x', 'a', 'b', 'm'].map((id) => at.get(id)!.y + H));
    assert.ok(at.get('c')!.y > bottom, 'the first cut falls after the merge, not inside the diamond');
    assert.equal(at.get('a')!.x, at.get('b')!.x);
  });

  it('wrapForScreen: readable whole when it can be, else rows as wide as the canvas at the readable zoom', () => {
    const screen = { width: 1000, height: 800 };
    const min = readableScale(13);
    const short = row(3);
    assert.equal(wrapForScreen(short.boxes, short.edges, screen, min), undefined, 'fits as it is');
    const lenet = row(9);
    const nine = extent(lenet.boxes, wrapForScreen(lenet.boxes, lenet.edges, screen, min)!);
    assert.ok(fitTransformScale(nine, screen) >= min, 'nine layers fit whole, readable');
    const long = row(200);
    const at = wrapForScreen(long.boxes, long.edges, screen, min)!;
    const b = extent(long.boxes, at);
    assert.ok(b.width * min <= screen.width - 64, `one scroll direction: ${b.width} wide`);
    assert.ok(b.height * min > screen.height * 5);
    const down = wrapForScreen(long.boxes.map((x) => ({ ...x, x: x.y, y: x.x })), long.edges, screen, min, 'down')!;
    const d = extent(long.boxes, down);
    assert.ok(d.height * min <= screen.height - 64, 'top to bottom: columns as tall as the canvas');
  });

  it('chooses top to bottom for a short chain in a tall canvas, left to right in a wide one or when the file says so', () => {
    const nodes = [...Array(4).keys()].map((i) => ({ id: `n${i}`, width: 180, height: 70 }));
    const edges = nodes.slice(1).map((n, i) => ({ from: nodes[i].id, to: n.id }));
    const min = readableScale(13);
    assert.equal(chooseDirection(nodes, edges, { width: 600, height: 866 }, min), 'down');
    assert.equal(chooseDirection(nodes, edges, { width: 1400, height: 700 }, min), 'right');
    assert.equal(chooseDirection(nodes, edges, { width: 600, height: 866 }, min, 'right'), 'right');
    assert.equal(chooseDirection(nodes, edges, { width: 1400, height: 700 }, min, 'down'), 'down');
    assert.equal(chooseDirection(nodes, edges, undefined, min), 'right', 'no canvas yet');
    // Wide and shallow (ten parallel layers): left to right even on a narrow canvas.
    const wide = [{ id: 'x', width: 180, height: 70 }, ...[...Array(10).keys()].map((i) => ({ id: `t${i}`, width: 180, height: 70 }))];
    assert.equal(chooseDirection(wide, wide.slice(1).map((t) => ({ from: 'x', to: t.id })), { width: 600, height: 866 }, min), 'right');
    // Too long to read whole either way: left to right, wrapped, scrolling down like a page.
    const chain = [...Array(200).keys()].map((i) => ({ id: `c${i}`, width: 180, height: 70 }));
    assert.equal(chooseDirection(chain, chain.slice(1).map((c, i) => ({ from: chain[i].id, to: c.id })), { width: 600, height: 866 }, min), 'right');
  });

  it('the quick layout runs the same way and wraps the same', () => {
    const boxes = [...Array(100).keys()].map((i) => ({ id: `n${i}`, width: W, height: H }));
    const edges = boxes.slice(1).map((b, i) => ({ from: boxes[i].id, to: b.id }));
    const screen = { width: 1000, height: 800 };
    const right = quickPlaces(boxes, edges, {}, 'right', screen, readableScale(13));
    assert.ok(extent(boxes.map((b) => ({ ...b, x: 0, y: 0 })), right).width * readableScale(13) <= 936);
    const down = quickPlaces(boxes, edges, {}, 'down', screen, readableScale(13));
    assert.ok(down.get('n1')!.y > down.get('n0')!.y, 'down: the second layer below the first');
  });

  it('the policy fits at the readable zoom, showing the inputs first, and asks ELK for the direction and the wrap', async () => {
    const requests: LayoutOptions[] = [];
    const fits: { box: Box; minScale?: number; start?: Box }[] = [];
    const positions = new Map<string, { x: number; y: number }>();
    const directions: string[] = [];
    const policy = new LayoutPolicy(
      { warm: true, busy: false, layout: (_n, _e, o) => { requests.push(o ?? {}); return Promise.resolve({ id: 1, positions: { x: { x: 0, y: 0 }, h: { x: 0, y: 134 }, y: { x: 0, y: 268 } } }); } },
      { positions, moveTo: (t) => { for (const [k, v] of t) positions.set(k, v); return Promise.resolve(); }, bounds: () => ({ x: 0, y: 0, width: 1, height: 1 }), setDirection: (d) => directions.push(d) },
      { fit: (box, o) => fits.push({ box, ...o }), visible: () => ({ x: 0, y: 0, width: 600, height: 866 }), size: () => ({ width: 600, height: 866 }) },
      () => undefined,
    );
    const nodes = ['x', 'h', 'y'].map((id) => ({ id, width: 180, height: 70, neurons: 0 }) as unknown as ViewNode);
    const edges: ViewEdge[] = [{ key: 'x->h', from: 'x', to: 'h', label: '[2]' }, { key: 'h->y', from: 'h', to: 'y', label: '[4]' }] as ViewEdge[];
    policy.settle(policy.plan({ nodes, edges }, {}, 13), { drawn: () => undefined, rendered: () => undefined, failed: () => undefined });
    assert.equal(requests[0].direction, 'down');
    assert.equal(requests[0].minScale, readableScale(13));
    assert.deepEqual(requests[0].screen, { width: 600, height: 866 });
    assert.deepEqual(directions, ['down']);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(fits.length, 1, 'fitted after the first layout');
    assert.equal(fits[0].minScale, readableScale(13));
    assert.deepEqual(fits[0].start, { x: 0, y: 0, width: 180, height: 70 }, 'the input is where the view starts');
    policy.plan({ nodes, edges }, {}, 13, 'right');
    assert.equal(requests[1].direction, 'right', 'the file decides');
  });
});
