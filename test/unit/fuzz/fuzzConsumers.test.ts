import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { existsSync } from 'fs';
import * as ort from 'onnxruntime-node';
import { onnxInputs } from './onnxCheck';
import { MARKER } from './payloads';
import { pythonProblem } from './pythonCheck';
import { CI_SEED, describeFailure, runFuzz, type FuzzRun } from './runFuzz';

/** Cases per CI run; `npm run fuzz -- --count N` runs more with the same driver. */
const COUNT = 10_000;
/** Generated scripts handed to Python's own parser (one process). */
const PYTHON_SAMPLE = 300;
const PYTHON = '/usr/bin/python3';
/** Exported ONNX models loaded and run in onnxruntime. */
const ONNX_SAMPLE = 100;

function summary(run: FuzzRun): string {
  const s = run.stats;
  return `seed ${run.seed}, ${run.count} cases in ${(run.ms / 1000).toFixed(1)} s: ${s.parsed} parsed, ${s.valid} valid, ${s.layouts} laid out, ` +
    `${s.exports} exports (+${s.exportRefusals} ExportErrors), ${s.pythonScripts} Python scripts, ${s.intentsApplied} intents applied ` +
    `(${s.intentsRefused} refused by the model, ${s.intentsRejectedByHost} rejected by the host), ${s.quickFixes} quick fixes`;
}

/** Python scripts whose design carried hostile text, and ONNX models, collected by the first test for the later ones. */
const hostileScripts: string[] = [];
const onnxModels: Uint8Array[] = [];
function collect(_name: string, content: string | Uint8Array): void {
  if (content instanceof Uint8Array) {
    if (onnxModels.length < ONNX_SAMPLE) onnxModels.push(content);
    return;
  }
  // Scripts with text from the file that is not plain: the ones worth Python's own parser.
  if (hostileScripts.length < PYTHON_SAMPLE && /PWNED|\\u|\\"|\\\\|[^\x00-\x7f]/.test(content)) hostileScripts.push(content);
}

describe('fuzz: every consumer of a .nn text', function () {
  this.timeout(600_000);

  it(`${COUNT} seeded cases through parse/validate/analyze, view model, quick layout, the three exporters, edit intents and quick fixes: 0 failures`, () => {
    const run = runFuzz({ seed: CI_SEED, count: COUNT, onFile: collect });
    console.log(`      fuzz: ${summary(run)}`);
    for (const f of run.failures) console.log(`      FAIL ${describeFailure(f).replace(/\n/g, '\n      ')}`);
    // Every consumer was really reached, in numbers.
    const s = run.stats;
    assert.ok(s.valid > COUNT / 5, `only ${s.valid} valid designs`);
    assert.ok(s.layouts > COUNT / 3, `only ${s.layouts} layouts`);
    assert.ok(s.exports > COUNT / 3, `only ${s.exports} exports`);
    assert.ok(s.intentsApplied > COUNT / 10, `only ${s.intentsApplied} intents applied`);
    assert.ok(s.quickFixes > COUNT / 20, `only ${s.quickFixes} quick fixes`);
    assert.equal(run.failures.length, 0, `${run.failures.length} distinct failure(s) (reproduce with the replay line; minimal texts above):\n${run.failures.map(describeFailure).join('\n\n')}`);
  });

  it('the tokenizer-lite sees code injected through strings, comments, docstrings and f-strings', () => {
    assert.equal(pythonProblem('x = "PWNED()"  # PWNED\ny = """\nPWNED\n"""\nz = f"{a} {{PWNED}}"\n', MARKER), undefined);
    assert.match(pythonProblem('x = "a"\nPWNED()\n', MARKER) ?? '', /PWNED in code at line 2/);
    assert.match(pythonProblem('# label: a\nPWNED()\n', MARKER) ?? '', /line 2/);
    assert.match(pythonProblem('"""doc """\nPWNED()\n"""', MARKER) ?? '', /PWNED in code/);
    assert.match(pythonProblem('x = f"{PWNED()}"\n', MARKER) ?? '', /PWNED in code/);
    assert.match(pythonProblem('x = "a\nb"\n', MARKER) ?? '', /string left open/);
    assert.equal(pythonProblem('PWNED_x = 1\nx_PWNED = 2\n', MARKER), undefined, 'sanitised identifiers that contain the marker are not injected code');
  });

  it(`Python's own parser accepts a sample of the generated scripts of hostile designs and finds no injected ${MARKER}`, function () {
    if (!existsSync(PYTHON)) this.skip();
    if (hostileScripts.length < PYTHON_SAMPLE) runFuzz({ seed: CI_SEED + 1, count: 3000, onFile: collect });
    assert.ok(hostileScripts.length >= 50, `only ${hostileScripts.length} scripts with hostile text`);
    const program = `
import ast, json, sys
problems = []
for i, src in enumerate(json.load(sys.stdin)):
    try:
        tree = ast.parse(src)
    except SyntaxError as e:
        problems.append(f"script {i}: SyntaxError line {e.lineno}: {e.msg}: {(e.text or '').strip()[:120]}")
        continue
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == ${JSON.stringify(MARKER)}:
            problems.append(f"script {i}: {node.id} runs at line {node.lineno}")
print(json.dumps(problems))
`;
    const r = spawnSync(PYTHON, ['-c', program], { input: JSON.stringify(hostileScripts), encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, r.stderr);
    const problems = JSON.parse(r.stdout) as string[];
    assert.deepEqual(problems, [], problems.map((p) => {
      const i = Number(/script (\d+)/.exec(p)?.[1]);
      return `${p}\n--- script ${i} (head) ---\n${hostileScripts[i]?.slice(0, 1500)}`;
    }).join('\n\n'));
  });

  it('onnxruntime loads a sample of the exported ONNX models and runs a batch through each', async () => {
    if (onnxModels.length < ONNX_SAMPLE) runFuzz({ seed: CI_SEED + 1, count: 1500, onFile: collect });
    assert.ok(onnxModels.length >= 30, `only ${onnxModels.length} ONNX models`);
    for (const [i, bytes] of onnxModels.entries()) {
      const session = await ort.InferenceSession.create(bytes).catch((e: Error) => assert.fail(`model ${i}: onnxruntime refuses it: ${e.message}`));
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of onnxInputs(bytes)) feeds[input.name] = new ort.Tensor('float32', Float32Array.from({ length: 2 * input.width }, (_, k) => Math.sin(k)), [2, input.width]);
      const out = await session.run(feeds);
      assert.ok(Object.keys(out).length > 0, `model ${i}: no outputs`);
      for (const [name, t] of Object.entries(out)) assert.equal(t.dims[0], 2, `model ${i}: output ${name} has batch ${t.dims[0]}`);
      await session.release();
    }
  });
});
