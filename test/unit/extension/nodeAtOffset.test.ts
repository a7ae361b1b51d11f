/** The node a text position is in: what the graph selects when the text cursor moves. */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeAtOffset } from '../../../src/extension/nodeAtOffset';

const interview = readFileSync(join(__dirname, '../../../examples/interview.nn'), 'utf8');

describe('nodeAtOffset', () => {
  it('finds the node whose object holds the position, from its opening brace to its closing one', () => {
    const start = interview.indexOf('{', interview.indexOf('"id": "hidden"') - 10);
    const end = interview.indexOf('}', start);
    assert.equal(nodeAtOffset(interview, interview.indexOf('"id": "hidden"')), 'hidden');
    assert.equal(nodeAtOffset(interview, start), 'hidden');
    assert.equal(nodeAtOffset(interview, end), 'hidden');
    assert.equal(nodeAtOffset(interview, interview.indexOf('"units"', interview.indexOf('"id": "y"'))), 'y');
  });

  it('is undefined outside every node (the edges, the training settings) and in text that is not a network', () => {
    assert.equal(nodeAtOffset(interview, interview.indexOf('"edges"')), undefined);
    assert.equal(nodeAtOffset(interview, 0), undefined);
    assert.equal(nodeAtOffset('{ "nodes": [ { "id": ', 14), undefined);
  });
});
