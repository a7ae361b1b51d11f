/**
 * The walkthrough "Learn neural networks with Neural Canvas" (package.json contributes.walkthroughs):
 * every step's markdown exists and explains without copying a design, every button runs a
 * command that is declared in package.json and registered by the extension, opens an example
 * that ships, runs an action the command knows, and each step's completion event is one of its
 * buttons' context keys. Plus which files opening an example copies into the workspace.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exampleDataFiles, filesToCopy, isExampleName } from '../../../src/extension/walkthrough/exampleCopy';

const root = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    walkthroughs?: { id: string; title: string; steps: { id: string; title: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }[] }[];
  };
};

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Command ids the extension registers: literals in the files that call registerCommand (ids are kept in constant maps beside the calls). */
function registeredCommands(): Set<string> {
  const ids = new Set<string>();
  for (const f of [...sources(join(root, 'src/extension')), join(root, 'src/extension.ts')]) {
    const text = readFileSync(f, 'utf8');
    if (!text.includes('registerCommand(')) continue;
    for (const m of text.matchAll(/'(neuralCanvas\.[A-Za-z.]+)'/g)) ids.add(m[1]);
  }
  return ids;
}

/** The command links of a step's description: [label](command:id?args). */
function links(description: string): { label: string; command: string; args: unknown[] }[] {
  return [...description.matchAll(/\[([^\]]+)\]\(command:([A-Za-z.]+)(?:\?([^)]*))?\)/g)].map((m) => ({
    label: m[1], command: m[2], args: m[3] ? JSON.parse(decodeURIComponent(m[3])) as unknown[] : [],
  }));
}

const ACTIONS = ['train', 'predict', 'summary', 'export', 'gradients'];

describe('the walkthrough', () => {
  const walkthrough = pkg.contributes.walkthroughs?.find((w) => w.id === 'learn');

  it('is contributed with the lectures in order, each step with a markdown page and buttons', () => {
    assert.ok(walkthrough, 'package.json contributes the walkthrough "learn"');
    assert.equal(walkthrough.title, 'Learn neural networks with Neural Canvas');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['perceptron', 'activations', 'xor', 'spiral', 'interview', 'convnet', 'export']);
    for (const s of walkthrough.steps) {
      assert.ok(s.media.markdown, `${s.id} has a markdown page`);
      const md = join(root, s.media.markdown);
      assert.ok(existsSync(md), `${s.media.markdown} exists`);
      assert.ok(links(s.description).length > 0, `${s.id} has at least one button`);
    }
  });

  it('every button runs a command declared in package.json and registered, on an example that ships, with an action the command knows', () => {
    const declared = new Set(pkg.contributes.commands.map((c) => c.command));
    const registered = registeredCommands();
    const examples = new Set(readdirSync(join(root, 'examples')));
    const opened = new Set<string>();
    for (const s of walkthrough?.steps ?? []) {
      for (const l of links(s.description)) {
        assert.ok(declared.has(l.command), `${s.id} / "${l.label}": ${l.command} is declared in package.json`);
        assert.ok(registered.has(l.command), `${s.id} / "${l.label}": ${l.command} is registered by the extension`);
        if (l.command !== 'neuralCanvas.openExample') continue;
        const [name, options] = l.args as [string, { then?: string; step?: string } | undefined];
        assert.ok(isExampleName(name) && examples.has(name), `${s.id} / "${l.label}": examples/${name} ships`);
        opened.add(name);
        if (options?.then) {
          assert.ok(ACTIONS.includes(options.then), `${s.id} / "${l.label}": action ${options.then}`);
        }
      }
    }
    // The lectures' examples, each opened by some step.
    for (const e of ['perceptron.nn', 'xor-linear.nn', 'xor-relu.nn', 'spiral.nn', 'regularization.nn', 'interview.nn', 'digits-convnet.nn']) assert.ok(opened.has(e), `a step opens ${e}`);
    // What the actions run is declared and registered too.
    const openExample = readFileSync(join(root, 'src/extension/walkthrough/openExample.ts'), 'utf8');
    for (const a of ACTIONS) {
      const id = new RegExp(`\\b${a}: '(neuralCanvas\\.[A-Za-z]+)'`).exec(openExample)?.[1];
      assert.ok(id && declared.has(id) && registered.has(id), `action ${a} runs a declared, registered command (${id})`);
    }
  });

  it('each step ticks when one of its own buttons has done its action (a context key only that step sets)', () => {
    for (const s of walkthrough?.steps ?? []) {
      const keys = (s.completionEvents ?? []).filter((e) => e.startsWith('onContext:')).map((e) => e.slice('onContext:'.length));
      assert.deepEqual(keys, [`neuralCanvas.walkthrough.${s.id}`], `${s.id}'s completion event`);
      const setters = links(s.description).filter((l) => {
        const o = l.args[1] as { then?: string; step?: string } | undefined;
        return o?.step === s.id && o.then !== undefined;
      });
      assert.ok(setters.length > 0, `a button of ${s.id} completes it`);
    }
    const steps = (walkthrough?.steps ?? []).flatMap((s) => links(s.description).map((l) => ({ owner: s.id, step: (l.args[1] as { step?: string } | undefined)?.step })));
    for (const { owner, step } of steps) if (step) assert.equal(step, owner, 'a button completes only its own step');
  });

  it('the markdown explains the lecture with the examples\' own numbers and holds no copy of a design', () => {
    const read = (f: string): string => readFileSync(join(root, f), 'utf8');
    const perceptron = JSON.parse(read('examples/perceptron.nn')) as { description: string };
    assert.match(perceptron.description, /0\.00247/);
    assert.match(read('media/walkthrough/perceptron.md'), /0\.00247/);
    assert.match(read('examples/interview.nn'), /0\.226/);
    assert.match(read('media/walkthrough/interview.md'), /0\.226/);
    for (const f of readdirSync(join(root, 'media/walkthrough'))) {
      const text = read(join('media/walkthrough', f));
      assert.doesNotMatch(text, /"nodes"\s*:|"format"\s*:\s*"nn\/1"/, `${f} copies no design`);
    }
  });
});

describe('opening an example copies it into the workspace', () => {
  const text = (f: string): string => readFileSync(join(root, 'examples', f), 'utf8');

  it('with the data files it reads by relative path', () => {
    assert.deepEqual(exampleDataFiles(text('regularization.nn')), ['data/regularization.csv']);
    assert.ok(existsSync(join(root, 'examples/data/regularization.csv')));
    assert.deepEqual(exampleDataFiles(text('interview.nn')), [], 'a shipped data set needs no copy');
    assert.deepEqual(exampleDataFiles(text('perceptron.nn')), [], 'no training section');
  });

  it('never a path outside the examples folder, and never an example name with a path', () => {
    const design = (csv: string): string => JSON.stringify({ format: 'nn/1', nodes: [{ id: 'x', type: 'input', units: 2 }], edges: [], training: { data: { csv, features: ['a'], labels: ['b'] } } });
    assert.deepEqual(exampleDataFiles(design('../secret.csv')), []);
    assert.deepEqual(exampleDataFiles(design('/etc/passwd')), []);
    assert.deepEqual(exampleDataFiles(design('./data/a.csv')), ['data/a.csv']);
    for (const bad of ['../perceptron.nn', 'a/b.nn', 'perceptron.json', '', 7]) assert.equal(isExampleName(bad), false, String(bad));
    assert.equal(isExampleName('xor-relu.nn'), true);
  });

  it('skips every file already in the workspace (a changed copy is the user\'s)', async () => {
    const there = new Set(['regularization.nn']);
    assert.deepEqual(await filesToCopy(['regularization.nn', 'data/regularization.csv'], async (f) => there.has(f)), ['data/regularization.csv']);
  });
});
