import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyIntent, replacementsForIntent } from '../../../src/extension/intentEdits';
import { checkNetwork, ModelEditError } from '../../../src/model';
import { FromEditorMessage, MalformedMessage, type EditIntent } from '../../../src/protocol';

const interview = readFileSync(join(__dirname, '../../../examples/interview.nn'), 'utf8');
const accepted = (m: unknown): boolean => !(FromEditorMessage.validate(m) instanceof MalformedMessage);

describe('group intents: editor → host', () => {
  it('the host accepts group, ungroup, collapse and label intents and refuses malformed ones', () => {
    assert.ok(accepted({ type: 'group', requestId: 1, ids: ['hidden', 'y'] }));
    assert.ok(accepted({ type: 'group', requestId: 1, ids: ['hidden'], id: 'block1', label: 'Hidden', collapsed: true }));
    assert.ok(accepted({ type: 'setGroupCollapsed', requestId: 1, id: 'block1', collapsed: true }));
    assert.ok(accepted({ type: 'setGroupLabel', requestId: 1, id: 'block1', label: '' }));
    assert.ok(accepted({ type: 'ungroup', requestId: 1, id: '__proto__' }));
    assert.ok(!accepted({ type: 'group', requestId: 1, ids: [] }));
    assert.ok(!accepted({ type: 'group', requestId: 1, ids: ['a b'] }));
    assert.ok(!accepted({ type: 'group', requestId: 1, ids: ['h'], id: '<script>' }));
    assert.ok(!accepted({ type: 'setGroupCollapsed', requestId: 1, id: 'g', collapsed: 'yes' }));
    assert.ok(!accepted({ type: 'setGroupLabel', requestId: 1, id: 'g' }));
    assert.ok(!accepted({ type: 'ungroup', requestId: 1 }));
  });

  it('each is one small replacement (one undo step) that leaves the rest of the file as it was', () => {
    const group: EditIntent = { type: 'group', requestId: 1, ids: ['y', 'hidden'], collapsed: true };
    const [add] = replacementsForIntent(interview, group);
    assert.equal(replacementsForIntent(interview, group).length, 1);
    assert.equal(add.length, 0, 'grouping only inserts');
    assert.match(add.content, /"groups": \[\n {4}\{ "id": "group1", "label": "Group 1", "nodes": \["hidden", "y"\], "collapsed": true \}\n {2}\]/);
    const grouped = applyIntent(interview, group);
    assert.deepEqual(checkNetwork(grouped).diagnostics.map((d) => d.code), checkNetwork(interview).diagnostics.map((d) => d.code));
    const expand = replacementsForIntent(grouped, { type: 'setGroupCollapsed', requestId: 2, id: 'group1', collapsed: false });
    assert.deepEqual(expand.map((r) => [grouped.slice(r.offset, r.offset + r.length), r.content]), [['true', 'false']]);
    const label = replacementsForIntent(grouped, { type: 'setGroupLabel', requestId: 3, id: 'group1', label: 'Hidden layers' });
    assert.deepEqual(label.map((r) => [grouped.slice(r.offset, r.offset + r.length), r.content]), [['"Group 1"', '"Hidden layers"']]);
    assert.equal(applyIntent(grouped, { type: 'ungroup', requestId: 4, id: 'group1' }), interview);
  });

  it('an impossible group intent is refused with the model\'s message', () => {
    const grouped = applyIntent(interview, { type: 'group', requestId: 1, ids: ['hidden'] });
    assert.throws(() => applyIntent(grouped, { type: 'group', requestId: 2, ids: ['hidden', 'y'] }), (e: unknown) => e instanceof ModelEditError && /already in group 'group1'/.test(e.message));
    assert.throws(() => applyIntent(grouped, { type: 'ungroup', requestId: 3, id: 'nope' }), /There is no group 'nope'/);
  });
});
