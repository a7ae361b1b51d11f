import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { applyTextEdits, checkNetwork, groupChains, ModelEditError, parseNetwork, proposeGroups, PROPOSE_MIN_NODES, type NetworkDoc, type NetworkNode } from '../../../src/model';
import { networkText } from '../../../src/extension/templates';
import { replacementsForIntent } from '../../../src/extension/intentEdits';
import { bigNetwork } from '../../webview/bigNetwork';

const root = join(__dirname, '../../..');

/** A chain input → (conv, batchnorm, activation[, dropout, pool]) × blocks → flatten → dense output. */
function convChain(blocks: number, five = false): NetworkDoc {
  const nodes: NetworkNode[] = [{ id: 'x', type: 'input', shape: [32, 32, 3], units: 3072 }];
  const edges: { from: string; to: string }[] = [];
  let prev = 'x';
  const add = (n: NetworkNode): void => { nodes.push(n); edges.push({ from: prev, to: n.id }); prev = n.id; };
  for (let b = 0; b < blocks; b++) {
    add({ id: `c${b}`, type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' });
    add({ id: `bn${b}`, type: 'batchnorm' });
    add({ id: `r${b}`, type: 'activation', activation: 'relu' });
    if (five) {
      add({ id: `d${b}`, type: 'dropout', rate: 0.1 });
      add({ id: `p${b}`, type: 'maxpool2d', poolSize: 1 });
    }
  }
  add({ id: 'flat', type: 'flatten' });
  add({ id: 'out', type: 'dense', units: 10, activation: 'softmax' });
  return { format: 'nn/1', nodes, edges };
}

describe('model/proposeGroups', () => {
  it('a large design of parallel towers: one group per tower, the input, merge and head left outside', () => {
    const doc = bigNetwork(2000);
    const proposed = proposeGroups(doc);
    assert.equal(proposed.length > 40, true);
    const members = new Set(proposed.flatMap((p) => p.nodes));
    for (const id of ['x', 'merge', 'out']) assert.ok(!members.has(id), `${id} is grouped`);
    assert.ok(proposed.every((p) => p.nodes.length >= 3 && p.nodes.length <= 12));
    // Every member of a proposal feeds the next one.
    for (const p of proposed) for (let i = 1; i < p.nodes.length; i++) assert.ok(doc.edges.some((e) => e.from === p.nodes[i - 1] && e.to === p.nodes[i]));
    assert.match(proposed[0].label, /^t0_0 … t0_\d+$/);
  });

  it('a long chain is cut at the period its layer types repeat with', () => {
    const doc = convChain(60); // 180 conv/bn/relu layers, then flatten
    const proposed = proposeGroups(doc);
    const sizes = proposed.map((p) => p.nodes.length);
    assert.ok(sizes.slice(0, -1).every((n) => n === 12), JSON.stringify(sizes));
    assert.deepEqual(proposed[0].nodes, ['c0', 'bn0', 'r0', 'c1', 'bn1', 'r1', 'c2', 'bn2', 'r2', 'c3', 'bn3', 'r3']);
    assert.ok(!proposed.flat().some((p) => p.nodes.includes('x') || p.nodes.includes('out')));
    const five = proposeGroups(convChain(30, true)).map((p) => p.nodes);
    assert.deepEqual(five[0], ['c0', 'bn0', 'r0', 'd0', 'p0', 'c1', 'bn1', 'r1', 'd1', 'p1']);
    assert.ok(five.slice(0, -1).every((b) => b.length === 10 && b[0].startsWith('c')), JSON.stringify(five.map((b) => b.length)));
  });

  it('no proposal for a small design, one that already has groups, or any example', () => {
    assert.deepEqual(proposeGroups(convChain(20)), []);
    assert.ok(convChain(20).nodes.length < PROPOSE_MIN_NODES);
    assert.deepEqual(proposeGroups({ ...bigNetwork(300), groups: [{ id: 'g', nodes: ['x'] }] }), []);
    for (const f of readdirSync(join(root, 'examples')).filter((n) => n.endsWith('.nn'))) {
      const doc = parseNetwork(readFileSync(join(root, 'examples', f), 'utf8')).doc;
      assert.ok(doc);
      assert.deepEqual(proposeGroups(doc), [], f);
    }
  });

  it('groupChains writes every proposal, collapsed, as one replacement (one undo step), and the design still trains the same', () => {
    const text = networkText(bigNetwork(300));
    const replacements = replacementsForIntent(text, { type: 'groupChains', requestId: 1 });
    assert.equal(replacements.length, 1);
    const out = applyTextEdits(text, groupChains(text));
    assert.ok(out.startsWith(text.slice(0, text.lastIndexOf(']'))));
    const { parsed, diagnostics, analysis } = checkNetwork(out);
    const before = checkNetwork(text);
    assert.deepEqual(diagnostics.map((d) => d.code), before.diagnostics.map((d) => d.code));
    assert.equal(parsed.doc?.groups?.length, proposeGroups(bigNetwork(300)).length);
    assert.ok(parsed.doc?.groups?.every((g) => g.collapsed === true && /^group\d+$/.test(g.id)));
    assert.equal(analysis?.totalParams, before.analysis?.totalParams);
    assert.throws(() => groupChains(out), (e: unknown) => e instanceof ModelEditError && /no chains of layers to group \(or already has groups\)/.test(e.message));
  });
});
