/** The run history's Restore: an intent like the settings inspector's, one minimal replacement (one undo step). */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyIntent, replacementsForIntent } from '../../../src/extension/intentEdits';
import { trainingSectionOf } from '../../../src/model';

const spiral = readFileSync(join(__dirname, '../../../examples/spiral.nn'), 'utf8');

describe('extension/intentEdits: restoreTraining (run history)', () => {
  it('writes a past run\'s settings as one small replacement; the rest of the file stays', () => {
    const training = { ...trainingSectionOf(spiral), epochs: 50, l2: 0.001 };
    const reps = replacementsForIntent(spiral, { type: 'restoreTraining', requestId: 1, training });
    assert.equal(reps.length, 1);
    const r = reps[0];
    assert.ok(r.length < 60 && r.content.length < 60, `a small span: ${JSON.stringify(r)}`);
    const after = spiral.slice(0, r.offset) + r.content + spiral.slice(r.offset + r.length);
    assert.deepEqual(trainingSectionOf(after), training);
    assert.equal(after, applyIntent(spiral, { type: 'restoreTraining', requestId: 1, training }));
  });

  it('changes nothing when the settings are already the current ones', () => {
    assert.deepEqual(replacementsForIntent(spiral, { type: 'restoreTraining', requestId: 1, training: trainingSectionOf(spiral)! as never }), []);
  });

  it('refuses settings that would break the design, with the parser\'s words', () => {
    assert.throws(() => applyIntent(spiral, { type: 'restoreTraining', requestId: 1, training: { ...trainingSectionOf(spiral), loss: 'hinge' } as never }), /do not fit the design as it is now: .*loss/);
  });
});
