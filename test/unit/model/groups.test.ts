import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import {
  ModelEditError, applyTextEdits, checkNetwork, formatDiagnostic, groupNodes, parseNetwork, removeNode, renameNode, addNode,
  setGroupCollapsed, setGroupLabel, ungroup,
} from '../../../src/model';
import { codes, covered, netText } from './helpers';

const root = join(__dirname, '../../..');
const interview = readFileSync(join(root, 'examples/interview.nn'), 'utf8');

/** The interview-shaped design of helpers.ts with a `groups` list. */
function grouped(groups: unknown): string {
  return netText({ groups });
}

function apply(text: string, edits: ReturnType<typeof groupNodes>): string {
  const out = applyTextEdits(text, edits);
  assert.deepEqual(codes(parseNetwork(out).diagnostics.filter((d) => d.code === 'syntax')), []);
  return out;
}

/** Lines of `after` that are not in `before`. */
function addedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((l) => !old.has(l));
}

describe('model/groups: reading and checking', () => {
  it('reads id, label, nodes and collapsed, with no diagnostic', () => {
    const text = grouped([{ id: 'hidden_block', label: 'Hidden', nodes: ['h', 'y'], collapsed: true }, { id: 'g2', nodes: ['x'] }]);
    const { parsed, diagnostics } = checkNetwork(text);
    assert.deepEqual(codes(diagnostics), []);
    assert.deepEqual(parsed.doc?.groups, [{ id: 'hidden_block', label: 'Hidden', nodes: ['h', 'y'], collapsed: true }, { id: 'g2', nodes: ['x'] }]);
  });

  it('every example still reads without a diagnostic about groups, and has no groups', () => {
    for (const f of readdirSync(join(root, 'examples')).filter((n) => n.endsWith('.nn'))) {
      const { parsed, diagnostics } = checkNetwork(readFileSync(join(root, 'examples', f), 'utf8'));
      assert.equal(parsed.doc?.groups, undefined, f);
      assert.deepEqual(diagnostics.filter((d) => /group/.test(d.code)), [], f);
      assert.ok(!diagnostics.some((d) => d.code === 'unknown-field' && /groups/.test(d.message)), f);
    }
  });

  it('a member that is not a node is a warning at that member, naming the nodes there are', () => {
    const text = grouped([{ id: 'g', nodes: ['h', 'hiden'] }]);
    const d = checkNetwork(text).diagnostics.find((x) => x.code === 'unknown-group-member');
    assert.ok(d);
    assert.equal(d.severity, 'warning');
    assert.equal(covered(text, d), '"hiden"');
    assert.match(d.message, /group 'g' names 'hiden', which is not a node \(nodes: x, h, y\); remove it from the group or fix the id/);
    assert.match(formatDiagnostic('net.nn', d), /^net\.nn:\d+:\d+: warning: /);
  });

  it('a node in two groups, two groups with one id, a group with a node\'s id, a member twice: each a warning where it is written', () => {
    const text = grouped([
      { id: 'a', nodes: ['x', 'h'] },
      { id: 'b', nodes: ['h', 'y', 'y'] },
      { id: 'a', nodes: ['y'] },
      { id: 'h', nodes: ['x'] },
    ]);
    const ds = checkNetwork(text).diagnostics.filter((d) => /group/.test(d.code));
    assert.deepEqual(ds.map((d) => [d.code, d.severity, covered(text, d)]), [
      ['group-overlap', 'warning', '"h"'],
      ['duplicate-group-member', 'warning', '"y"'],
      ['duplicate-group-id', 'warning', '"a"'],
      ['group-id-clash', 'warning', '"h"'],
      ['group-overlap', 'warning', '"x"'],
    ]);
    assert.match(ds[0].message, /node 'h' is in group 'a' and in group 'b'; a node belongs to one group at most, so remove it from one of them/);
    assert.match(ds[2].message, /two groups are called 'a' \(the other on line \d+\); group ids must be unique, so rename one of them/);
    assert.match(ds[3].message, /group 'h' has the id of a node; a group needs an id of its own/);
  });

  it('group problems never stop training: the analysis is still made', () => {
    const text = grouped([{ id: 'a', nodes: ['x', 'h', 'ghost'] }, { id: 'a', nodes: ['h'] }]);
    assert.ok(checkNetwork(text).analysis);
  });

  it('a wrong shape of groups is an error in the user\'s words, at the value', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ id: 'g' }, 'missing-field', /group 'g': 'nodes' is missing/],
      [[{ id: 'g', nodes: [] }], 'out-of-range', /group 'g': nodes must not be empty/],
      [[{ id: 'my group', nodes: ['x'] }], 'invalid-id', /group 'my group': id "my group" is not a valid id; use letters, digits/],
      [[{ id: 'g', nodes: ['x'], collapsed: 'yes' }], 'wrong-type', /group 'g': collapsed must be true or false, not the text "yes"/],
      [[{ id: 'g', nodes: 'x' }], 'wrong-type', /group 'g': nodes must be a list/],
      [[{ id: 'g', nodes: [3] }], 'wrong-type', /group 'g': nodes\[0\] must be text in quotes/],
      [[{ nodes: ['x'] }], 'missing-field', /groups\[0\]: 'id' is missing/],
      [['x'], 'wrong-type', /groups\[0\] must be an object/],
      [{ x: 1 }, 'wrong-type', /groups must be a list/],
    ];
    for (const [groups, code, message] of cases) {
      const g = Array.isArray(groups) || typeof groups !== 'object' || !('id' in (groups as object)) ? groups : [groups];
      const ds = checkNetwork(grouped(g)).diagnostics;
      const d = ds.find((x) => x.code === code);
      assert.ok(d, `${JSON.stringify(groups)}: ${JSON.stringify(codes(ds))}`);
      assert.match(d.message, message);
      assert.equal(d.severity, 'error');
    }
  });

  it('an unknown field in a group is kept and warned about, with a did-you-mean', () => {
    const ds = checkNetwork(grouped([{ id: 'g', nodes: ['x'], colapsed: true }])).diagnostics;
    const d = ds.find((x) => x.code === 'unknown-field');
    assert.match(d?.message ?? '', /group 'g': unknown field 'colapsed' is kept but ignored; did you mean 'collapsed'\?/);
  });

  it('ids such as __proto__ and constructor are ordinary names for groups and members', () => {
    const nodes = [{ id: '__proto__', type: 'input', units: 2 }, { id: 'constructor', type: 'dense', units: 1 }];
    const text = netText({ groups: [{ id: 'toString', nodes: ['__proto__'] }, { id: 'hasOwnProperty', nodes: ['constructor', 'valueOf'] }] }, nodes, [{ from: '__proto__', to: 'constructor' }]);
    const { parsed, diagnostics } = checkNetwork(text);
    assert.deepEqual(diagnostics.map((d) => [d.code, covered(text, d)]), [['unknown-group-member', '"valueOf"']]);
    assert.deepEqual(parsed.doc?.groups?.map((g) => g.nodes), [['__proto__'], ['constructor', 'valueOf']]);
    assert.equal(({} as Record<string, unknown>).toString, Object.prototype.toString);
  });

  it('a group with the id __proto__ is read as written, not as a prototype', () => {
    const text = grouped([{ id: '__proto__', nodes: ['h'] }, { id: '__proto__', nodes: ['y'] }]);
    const { parsed, diagnostics } = checkNetwork(text);
    assert.deepEqual(codes(diagnostics), ['duplicate-group-id']);
    assert.equal(parsed.doc?.groups?.[0].id, '__proto__');
  });
});

describe('model/groups: edits', () => {
  it('groupNodes appends one group in the file\'s style, members in file order, and creates `groups` when missing', () => {
    const out = apply(interview, groupNodes(interview, ['y', 'hidden']));
    assert.deepEqual(addedLines(interview, out), [
      '  },',
      '  "groups": [',
      '    { "id": "group1", "label": "Group 1", "nodes": ["hidden", "y"], "collapsed": false }',
      '  ]',
    ]);
    assert.ok(out.startsWith(interview.slice(0, interview.lastIndexOf('}', interview.lastIndexOf('}') - 1))));
    const again = apply(out, groupNodes(out, ['x'], { collapsed: true }));
    assert.deepEqual(addedLines(out, again), [
      '    { "id": "group1", "label": "Group 1", "nodes": ["hidden", "y"], "collapsed": false },',
      '    { "id": "group2", "label": "Group 2", "nodes": ["x"], "collapsed": true }',
    ]);
    assert.deepEqual(checkNetwork(again).diagnostics.filter((d) => /group/.test(d.code)), []);
  });

  it('groupNodes refuses what would make a bad file, saying what to do', () => {
    const one = apply(interview, groupNodes(interview, ['hidden']));
    const refuse = (fn: () => unknown, message: RegExp): void => assert.throws(fn, (e: unknown) => e instanceof ModelEditError && message.test(e.message));
    refuse(() => groupNodes(one, ['y', 'hidden']), /'hidden' is already in group 'group1'; a node belongs to one group at most, so ungroup that group first/);
    refuse(() => groupNodes(one, ['ghost']), /There is no node 'ghost'/);
    refuse(() => groupNodes(one, []), /Select the nodes to group first/);
    refuse(() => groupNodes(one, ['y'], { id: 'x' }), /A node is called 'x'; pick another id for the group/);
    refuse(() => groupNodes(one, ['y'], { id: 'group1' }), /A group called 'group1' already exists/);
    refuse(() => groupNodes(one, ['y'], { id: 'a b' }), /cannot be a group id/);
    refuse(() => addNode(one, { id: 'group1', type: 'dense', units: 1 }), /A group is called 'group1'; pick another id for the node/);
    refuse(() => renameNode(one, 'y', 'group1'), /A group is called 'group1'/);
  });

  it('setGroupCollapsed and setGroupLabel change one value; ungroup removes the group and then `groups`', () => {
    const one = apply(interview, groupNodes(interview, ['hidden', 'y']));
    const edits = setGroupCollapsed(one, 'group1', true);
    assert.deepEqual(edits.map((e) => [one.slice(e.offset, e.offset + e.length), e.content]), [['false', 'true']]);
    const collapsed = apply(one, edits);
    assert.equal(parseNetwork(collapsed).doc?.groups?.[0].collapsed, true);
    const labelled = apply(collapsed, setGroupLabel(collapsed, 'group1', 'Hidden layers'));
    assert.deepEqual(parseNetwork(labelled).doc?.groups?.[0].label, 'Hidden layers');
    const two = apply(labelled, groupNodes(labelled, ['x']));
    const back = apply(two, ungroup(two, 'group2'));
    assert.equal(back, labelled);
    assert.equal(apply(back, ungroup(back, 'group1')), interview);
    assert.throws(() => ungroup(interview, 'group1'), /There is no group 'group1' in this file/);
    assert.throws(() => setGroupCollapsed(interview, 'g', true), /There is no group 'g'/);
  });

  it('removing a node takes it out of its group; removing the last member drops the group and `groups`', () => {
    const one = apply(interview, groupNodes(interview, ['hidden', 'y']));
    const noY = apply(one, removeNode(one, 'y'));
    assert.deepEqual(parseNetwork(noY).doc?.groups?.[0].nodes, ['hidden']);
    const none = apply(noY, removeNode(noY, 'hidden'));
    assert.equal(parseNetwork(none).doc?.groups, undefined);
    assert.ok(!none.includes('"groups"'));
    assert.deepEqual(checkNetwork(none).diagnostics.filter((d) => /group/.test(d.code)), []);
  });

  it('renaming a node renames it in its group', () => {
    const one = apply(interview, groupNodes(interview, ['hidden', 'y']));
    const renamed = apply(one, renameNode(one, 'hidden', 'h1'));
    assert.deepEqual(parseNetwork(renamed).doc?.groups?.[0].nodes, ['h1', 'y']);
    assert.deepEqual(checkNetwork(renamed).diagnostics.filter((d) => /group/.test(d.code)), []);
  });
});

describe('model/groups: the JSON schema', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv') as typeof import('ajv').default;
  const schema = JSON.parse(readFileSync(join(root, 'schemas/nn-1.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strictTuples: false, allowUnionTypes: true }).addKeyword('enumDescriptions').compile(schema);

  it('accepts the groups the parser reads and rejects the forms it refuses', () => {
    assert.ok(validate(JSON.parse(grouped([{ id: 'g', label: 'Hidden', nodes: ['h', 'y'], collapsed: true }]))), JSON.stringify(validate.errors));
    for (const bad of [[{ id: 'g', nodes: [] }], [{ nodes: ['x'] }], [{ id: 'a b', nodes: ['x'] }], [{ id: 'g', nodes: ['x'], collapsed: 'yes' }], { g: ['x'] }]) {
      assert.equal(validate(JSON.parse(grouped(bad))), false, JSON.stringify(bad));
    }
  });
});
