import { strict as assert } from 'assert';
import {
  addNode, applyTextEdits, checkNetwork, connect, pinNode, removeNode, renameNode, setNodeProperty, setTrainingProperty, unpinNode,
} from '../../../src/model';
import { covered, netText } from './helpers';

const BOM = '\uFEFF';

describe('model: a UTF-8 byte order mark at the start of a file', () => {
  it('is accepted: the design checks and analyses as without it', () => {
    const plain = checkNetwork(netText());
    const c = checkNetwork(BOM + netText());
    assert.deepEqual(c.diagnostics, []);
    assert.ok(c.analysis && plain.analysis);
    assert.equal(c.analysis.totalParams, plain.analysis.totalParams);
    assert.deepEqual(c.parsed.doc, plain.parsed.doc);
  });

  it('keeps line:col as an editor shows them, and offsets on the same characters', () => {
    for (const text of [netText().replace('"nn/1"', '"nn/7"'), '{ "format": "nn/7", "nodes": [] }', netText({ colour: 'red' })]) {
      const plain = checkNetwork(text).diagnostics;
      const withBom = checkNetwork(BOM + text).diagnostics;
      assert.ok(plain.length > 0);
      assert.deepEqual(withBom.map((d) => [d.code, d.range.start, d.range.end]), plain.map((d) => [d.code, d.range.start, d.range.end]));
      assert.deepEqual(withBom.map((d) => covered(BOM + text, d)), plain.map((d) => covered(text, d)));
    }
  });

  it('is kept by every edit from the graph', () => {
    const text = netText();
    const intents: [string, (t: string) => ReturnType<typeof addNode>][] = [
      ['addNode', (t) => addNode(t, { id: 'h2', type: 'dense', units: 2 }, { after: 'h' })],
      ['removeNode', (t) => removeNode(t, 'h')],
      ['renameNode', (t) => renameNode(t, 'h', 'hidden')],
      ['setNodeProperty', (t) => setNodeProperty(t, 'h', 'units', 5)],
      ['connect', (t) => connect(t, 'x', 'y')],
      ['pinNode', (t) => pinNode(t, 'h', { x: 1, y: 2 })],
      ['setTrainingProperty', (t) => setTrainingProperty(t, ['optimizer', 'learningRate'], 0.1)],
    ];
    for (const [name, intent] of intents) {
      const edited = applyTextEdits(BOM + text, intent(BOM + text));
      assert.equal(edited, BOM + applyTextEdits(text, intent(text)), name);
      assert.deepEqual(checkNetwork(edited).diagnostics.map((d) => d.code), checkNetwork(applyTextEdits(text, intent(text))).diagnostics.map((d) => d.code), name);
    }
    const pinned = applyTextEdits(BOM + text, pinNode(BOM + text, 'h', { x: 1, y: 2 }));
    assert.ok(applyTextEdits(pinned, unpinNode(pinned, 'h')).startsWith(BOM));
  });
});
