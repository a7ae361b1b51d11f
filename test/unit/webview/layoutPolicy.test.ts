/** The editor's layout policy: when a graph is drawn at the quick layout first, and when the view refits. */
import * as assert from 'node:assert/strict';
import { boundsOf, contains } from '../../../webview/editor/geometry';
import { fitAfterLayout, QUICK_LAYOUT_MIN_NODES, useQuickLayout } from '../../../webview/editor/layoutPolicy';

describe('layout policy', () => {
  it('draws at the quick layout first only when ELK cannot answer at once and many nodes have no place', () => {
    const many = QUICK_LAYOUT_MIN_NODES;
    assert.equal(useQuickLayout({ warm: false, busy: false }, many), true, 'worker still starting');
    assert.equal(useQuickLayout({ warm: true, busy: true }, many), true, 'worker busy with an older request');
    assert.equal(useQuickLayout({ warm: true, busy: false }, many), false, 'ELK answers soon: wait for it');
    assert.equal(useQuickLayout({ warm: false, busy: false }, many - 1), false, 'small graphs wait for ELK');
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
