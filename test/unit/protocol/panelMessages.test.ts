import * as assert from 'node:assert/strict';
import { FromPanelMessage, MalformedMessage, ProbeMessage } from '../../../src/protocol';

const validateFromPanel = (raw: unknown) => FromPanelMessage.validate(raw);

function reason(raw: unknown): string {
  const r = validateFromPanel(raw);
  assert.ok(r instanceof MalformedMessage, `expected ${JSON.stringify(raw)} to be rejected`);
  return r.reason;
}

describe('panel messages (host-side check of the gradients panel)', () => {
  it('accepts exactly the panel\'s messages and rejects anything else, saying why', () => {
    assert.deepEqual(validateFromPanel({ type: 'select', id: 'h1' }), { type: 'select', id: 'h1' });
    assert.deepEqual(validateFromPanel({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(validateFromPanel({ type: 'checkGradients' }), { type: 'checkGradients' });
    assert.match(reason({ type: 'ready', extra: 1 }), /unexpected field "extra"/);
    assert.match(reason({ type: 'select', id: '../../x' }), /"id" must be a node id/);
    assert.match(reason({ type: 'select' }), /"id" is missing/);
    assert.match(reason({ type: 'train' }), /unknown message type "train"/);
    assert.match(reason('select'), /object with a string "type"/);
  });

  it('what the panel reports for tests is a probe, not a panel message', () => {
    const report = { type: 'panelRendered', layers: ['a'], warnings: [], points: 3, checkRows: 0 };
    assert.deepEqual(ProbeMessage.validate(report), report);
    assert.match((ProbeMessage.validate({ ...report, points: 'x' }) as MalformedMessage).reason, /"points" must be a whole number/);
    assert.match(reason({ ...report, type: 'rendered' }), /unknown message type "rendered"/);
    assert.match(reason(report), /unknown message type "panelRendered"/);
  });
});
