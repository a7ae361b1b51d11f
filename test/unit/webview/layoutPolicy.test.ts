/** The editor's layout policy: when a graph is drawn at the quick layout first, and when the view refits. */
import * as assert from 'node:assert/strict';
import { boundsOf, contains } from '../../../webview/editor/geometry';
import type { Box } from '../../../webview/editor/geometry';
import { fitAfterLayout, GLIDE_MS, LayoutPolicy, QUICK_LAYOUT_ALWAYS_NODES, QUICK_LAYOUT_MIN_NODES, useQuickLayout } from '../../../webview/editor/layoutPolicy';
import type { LayoutReport } from '../../../webview/editor/layoutPolicy';
import type { LayoutResponse } from '../../../webview/editor/layoutTypes';
import type { ViewEdge, ViewNode } from '../../../webview/editor/viewModel';

describe('layout policy', () => {
  it('draws at the quick layout first only when ELK cannot answer at once and many nodes have no place', () => {
    const many = QUICK_LAYOUT_MIN_NODES;
    assert.equal(useQuickLayout({ warm: false, busy: false }, many), true, 'worker still starting');
    assert.equal(useQuickLayout({ warm: true, busy: true }, many), true, 'worker busy with an older request');
    assert.equal(useQuickLayout({ warm: true, busy: false }, many), false, 'ELK answers soon: wait for it');
    assert.equal(useQuickLayout({ warm: false, busy: false }, many - 1), false, 'small graphs wait for ELK');
  });

  it('draws a graph of hundreds of unplaced nodes at the quick layout first even when ELK is ready (ELK takes longer than a first drawing may)', () => {
    assert.equal(useQuickLayout({ warm: true, busy: false }, 500), true, '500 nodes opened in a warm editor');
    assert.equal(useQuickLayout({ warm: true, busy: false }, QUICK_LAYOUT_ALWAYS_NODES - 1), false, 'a few hundred wait for ELK');
  });

  it('fits after the first layout; later only when the whole graph was in view and would leave it', () => {
    const base = { fitted: true, wasWhole: true, provisional: false, targetInView: true };
    assert.equal(fitAfterLayout({ ...base, fitted: false, wasWhole: false }), true, 'first layout');
    assert.equal(fitAfterLayout(base), false, 'still in view: the view stays');
    assert.equal(fitAfterLayout({ ...base, targetInView: false }), true, 'a new node would land off-screen');
    assert.equal(fitAfterLayout({ ...base, provisional: true }), true, 'ELK replaces the quick layout');
    assert.equal(fitAfterLayout({ ...base, wasWhole: false, targetInView: false }), false, 'the user zoomed in: leave the view');
  });

  it('bounds and containment', () => {
    const b = boundsOf([{ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: -5, width: 5, height: 5 }]);
    assert.deepEqual(b, { x: 0, y: -5, width: 25, height: 15 });
    assert.deepEqual(boundsOf([]), { x: 0, y: 0, width: 1, height: 1 });
    assert.equal(contains(b, { x: 1, y: 0, width: 5, height: 5 }), true);
    assert.equal(contains(b, { x: 1, y: 0, width: 50, height: 5 }), false);
  });
});

describe('layout policy over a drawing (fakes for ELK, the renderer and the viewport)', () => {
  type P = { x: number; y: number };
  function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: Error): void } {
    let resolve!: (v: T) => void, reject!: (e: Error) => void;
    const promise = new Promise<T>((a, b) => { resolve = a; reject = b; });
    return { promise, resolve, reject };
  }
  function chain(n: number): { nodes: ViewNode[]; edges: ViewEdge[] } {
    const ids = [...Array(n).keys()].map((i) => `n${i}`);
    return {
      nodes: ids.map((id) => ({ id, width: 100, height: 50 }) as ViewNode),
      edges: ids.slice(1).map((id, i) => ({ key: `${ids[i]}->${id}`, from: ids[i], to: id, label: '[1]' })),
    };
  }
  function setup() {
    const answers: ReturnType<typeof deferred<LayoutResponse>>[] = [];
    const engine = { warm: false, busy: false, layout: () => { const d = deferred<LayoutResponse>(); answers.push(d); return d.promise; } };
    const positions = new Map<string, P>();
    const moves: { ms: number; target: Map<string, P> }[] = [];
    const drawing = {
      positions,
      moveTo: (target: ReadonlyMap<string, P>, ms: number) => { moves.push({ ms, target: new Map(target) }); for (const [k, v] of target) positions.set(k, v); return Promise.resolve(); },
      bounds: () => boundsOf([...positions.values()].map((p) => ({ ...p, width: 100, height: 50 }))),
    };
    const fits: Box[] = [];
    const framing = { fit: (b: Box) => fits.push(b), visible: () => ({ x: -1e6, y: -1e6, width: 2e6, height: 2e6 }) };
    const events: string[] = [];
    const report: LayoutReport = {
      drawn: () => events.push('drawn'),
      rendered: (laidOut) => events.push(laidOut ? 'rendered:laidOut' : 'rendered'),
      failed: (m) => events.push(`failed: ${m}`),
    };
    const policy = new LayoutPolicy(engine, drawing, framing, () => undefined);
    return { answers, engine, positions, moves, fits, events, report, policy };
  }
  const settled = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

  it('a small graph waits for ELK, is placed at once and fitted the first time; later edits glide and keep the view', async () => {
    const t = setup();
    const view = chain(3);
    const plan = t.policy.plan(view, { n2: { x: 500, y: 40 } }, 10);
    assert.equal(plan.quick, undefined);
    assert.ok(plan.layout);
    assert.deepEqual(plan.initial.get('n2'), { x: 500, y: 40 }, 'a pinned node starts at its pin');
    t.policy.settle(plan, t.report);
    assert.deepEqual(t.events, [], 'nothing reported before ELK answers');
    t.answers[0].resolve({ id: 1, positions: { n0: { x: 0, y: 0 }, n1: { x: 200, y: 0 }, n2: { x: 400, y: 0 } } });
    await settled();
    assert.deepEqual(t.events, ['rendered:laidOut']);
    assert.equal(t.moves[0].ms, 0, 'the first layout is not animated');
    assert.deepEqual(t.moves[0].target.get('n2'), { x: 500, y: 40 }, 'pins win over ELK');
    assert.equal(t.fits.length, 1);
    // Same boxes and edges: no new layout, drawn at once.
    const again = t.policy.plan(view, { n2: { x: 500, y: 40 } }, 10);
    assert.equal(again.layout, undefined);
    t.policy.settle(again, t.report);
    assert.deepEqual(t.events, ['rendered:laidOut', 'rendered']);
    // A new node: starts beside the node it follows, then glides to ELK's place; the view stays.
    const bigger = chain(4);
    const grown = t.policy.plan(bigger, { n2: { x: 500, y: 40 } }, 10);
    assert.deepEqual(grown.initial.get('n3'), { x: 620, y: 40 });
    t.policy.settle(grown, t.report);
    t.answers[1].resolve({ id: 2, positions: { n0: { x: 0, y: 0 }, n1: { x: 200, y: 0 }, n2: { x: 400, y: 0 }, n3: { x: 600, y: 0 } } });
    await settled();
    assert.equal(t.moves[t.moves.length - 1].ms, GLIDE_MS);
    assert.equal(t.fits.length, 1, 'still in view: no refit');
  });

  it('a big graph on a cold worker is drawn at the quick layout first, then ELK moves and refits it', async () => {
    const t = setup();
    const plan = t.policy.plan(chain(QUICK_LAYOUT_MIN_NODES), {}, 10);
    assert.ok(plan.quick && plan.layout);
    t.policy.settle(plan, t.report);
    assert.deepEqual(t.events, ['drawn'], 'drawn complete before ELK answers');
    assert.equal(t.fits.length, 1);
    const positions = Object.fromEntries([...Array(QUICK_LAYOUT_MIN_NODES).keys()].map((i) => [`n${i}`, { x: i * 150, y: 0 }]));
    t.answers[0].resolve({ id: 1, positions });
    await settled();
    assert.deepEqual(t.events, ['drawn', 'rendered:laidOut']);
    assert.equal(t.fits.length, 2, 'ELK replaced the quick layout: framed again');
  });

  it('a stale ELK answer is dropped, and a failure is reported for the user', async () => {
    const t = setup();
    t.policy.settle(t.policy.plan(chain(2), {}, 10), t.report);
    t.policy.settle(t.policy.plan(chain(3), {}, 10), t.report);
    t.answers[0].resolve({ id: 1, positions: { n0: { x: 0, y: 0 }, n1: { x: 9, y: 9 } } });
    await settled();
    assert.deepEqual(t.events, []);
    t.answers[1].reject(new Error('layout worker failed: out of memory'));
    await settled();
    assert.deepEqual(t.events, ['failed: Automatic layout failed: layout worker failed: out of memory. Nodes keep their places.']);
  });
});
