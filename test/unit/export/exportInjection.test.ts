/**
 * No text from a .nn file becomes code: ids, labels, names, feature names and file names holding
 * quotes, backslashes, newlines, triple quotes, comment starters, control characters, bidi
 * overrides and non-ASCII reach the generated PyTorch and Keras scripts only inside escaped string
 * literals, inert docstring/comment text or sanitised identifiers, and the ONNX model only as
 * sanitised names. The exporters are checked on their own (the ids bypass the model's id rule),
 * as defence in depth: whatever a future id rule lets through, the scripts stay safe.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { exportNetwork, type ExportAnalysis, type ExportDataset, type ExportFormat } from '../../../src/export/index';
import { onnxType } from '../../../src/export/onnx/onnxSchema';
import type { NetworkDoc } from '../../../src/model/types';
import { everyNodeDoc, fixtureAnalysis, interviewDoc, randomWeights, seededRandom } from './exportFixtures';
import { runPython } from './pythonEnv';
import { convAnalysis, convDoc, convWeights } from './convFixtures';

/** The fixture's analysis (the image network's shapes come from its own fixture file). */
function analysisOf(doc: NetworkDoc): ExportAnalysis {
  return doc === convDoc ? convAnalysis(doc) : fixtureAnalysis(doc);
}

/** Seeded weights for every weighted node (dense, conv2d, batch norm). */
function weightsOf(doc: NetworkDoc, analysis: ExportAnalysis, seed: number): ReturnType<typeof randomWeights> {
  return doc.nodes.some((n) => n.type === 'conv2d') ? convWeights(doc, analysis, seed) : randomWeights(doc, analysis, seed);
}

/** Every payload tries to run `pwned()` (or print/os.system) if it ever becomes code. */
const HOSTILE = [
  'a\nimport os; os.system("pwned")\n#',
  'b"""\npwned()\n"""',
  "c'''\npwned()\n'''",
  'd\\\npwned()',
  'e" + pwned() + "',
  '# pwned()',
  '*/ pwned() /*',
  'f\rpwned()',
  'g\u0000pwned()',
  'h\u2028pwned()\u2029',
  'i\u0085pwned()\u000b\u000c',
  'j\u202epwned()\u2066',
  'ünïcödé-名前-😀',
  'k\ud800pwned()',
  '__init__',
  'forward',
  '\\',
  '"',
];

/** `doc` and its analysis with every node id replaced by a hostile string (labels too). */
function hostile(doc: NetworkDoc, offset: number, name: string): { doc: NetworkDoc; analysis: ExportAnalysis } {
  const analysis = analysisOf(doc);
  const ids = new Map(doc.nodes.map((n, i) => [n.id, `${HOSTILE[(i + offset) % HOSTILE.length]}${i}`]));
  const r = (id: string): string => ids.get(id) as string;
  return {
    doc: {
      ...doc,
      name,
      description: 'desc """\npwned()\n',
      nodes: doc.nodes.map((n, i) => ({ ...n, id: r(n.id), label: HOSTILE[(i + offset + 3) % HOSTILE.length] })),
      edges: doc.edges.map((e) => ({ from: r(e.from), to: r(e.to) })),
      training: { ...doc.training, data: { csv: 'data"""\npwned()\n#.csv', labels: ['y'] } },
    },
    analysis: {
      order: analysis.order.map(r),
      inputs: analysis.inputs.map(r),
      outputs: analysis.outputs.map(r),
      shapes: new Map([...analysis.shapes].map(([k, v]) => [r(k), v])),
      inputsOf: new Map([...analysis.inputsOf].map(([k, v]) => [r(k), v.map(r)])),
    },
  };
}

/** The same doc with plain ids (n0, n1, …): the shape every hostile script must keep. */
function benign(doc: NetworkDoc): { doc: NetworkDoc; analysis: ExportAnalysis } {
  const analysis = analysisOf(doc);
  const ids = new Map(doc.nodes.map((n, i) => [n.id, `n${i}`]));
  const r = (id: string): string => ids.get(id) as string;
  return {
    doc: { ...doc, name: 'plain', nodes: doc.nodes.map((n) => ({ ...n, id: r(n.id), label: 'plain' })), edges: doc.edges.map((e) => ({ from: r(e.from), to: r(e.to) })), training: { ...doc.training, data: { csv: 'data.csv', labels: ['y'] } } },
    analysis: {
      order: analysis.order.map(r), inputs: analysis.inputs.map(r), outputs: analysis.outputs.map(r),
      shapes: new Map([...analysis.shapes].map(([k, v]) => [r(k), v])),
      inputsOf: new Map([...analysis.inputsOf].map(([k, v]) => [r(k), v.map(r)])),
    },
  };
}

/** Two rows of data whose feature and label names are hostile too. */
function hostileData(doc: NetworkDoc, analysis: ExportAnalysis): { train: ExportDataset } {
  const width = (id: string): number => (analysis.shapes.get(id) as number[]).reduce((a, b) => a * b, 1);
  const inputSize = analysis.inputs.reduce((s, id) => s + width(id), 0);
  const outputSize = analysis.outputs.reduce((s, id) => s + width(id), 0);
  const count = 2;
  return {
    train: {
      x: Float32Array.from({ length: count * inputSize }, (_, i) => i / 10), y: Float32Array.from({ length: count * outputSize }, (_, i) => i % 2),
      count, inputSize, outputSize,
      featureNames: Array.from({ length: inputSize }, (_, i) => HOSTILE[i % HOSTILE.length]),
      labelNames: Array.from({ length: outputSize }, (_, i) => HOSTILE[(i + 5) % HOSTILE.length]),
      task: undefined,
    },
  };
}

/**
 * Parses every script with Debian's python (ast) and reports, per script: whether it parsed, the
 * sequence of AST node kinds (a digest), the kinds of its top-level statements, every identifier,
 * attribute and argument name, and the header of the CSV beside it as Python's csv module reads it.
 */
const INSPECT = `
import ast, csv, hashlib, json, sys
out = {}
for script, data in json.loads(sys.argv[1]):
    src = open(script, encoding="utf-8").read()
    try:
        tree = ast.parse(src, filename=script)
    except (SyntaxError, ValueError) as e:
        out[script] = {"error": f"{type(e).__name__}: {e}"}
        continue
    # The sequence of syntax node kinds, as a digest (the full list of every script would be megabytes).
    kinds = hashlib.sha256(" ".join(type(n).__name__ for n in ast.walk(tree)).encode()).hexdigest()
    idents = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
                    | {a.arg for n in ast.walk(tree) if isinstance(n, ast.arguments) for a in n.args})
    header = None
    if data:
        with open(data, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
    out[script] = {"kinds": kinds, "idents": idents, "top": [type(n).__name__ for n in tree.body], "header": header}
print(json.dumps(out))
`;

interface Inspected { error?: string; kinds: string; idents: string[]; top: string[]; header: string[] | null }

describe('export: text from the file never becomes code', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), 'nn-export-inject-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['pytorch', 'keras'] as ExportFormat[]) {
    it(`${format}: hostile ids, labels, names, feature names and file names compile and add no statement`, () => {
      const jobs: [string, string | null][] = [];
      const expected = new Map<string, string>();
      const cases: { doc: NetworkDoc; analysis: ExportAnalysis; trained: boolean }[] = [];
      for (let offset = 0; offset < HOSTILE.length; offset += 3) {
        const name = HOSTILE[(offset + 1) % HOSTILE.length];
        cases.push({ ...hostile(everyNodeDoc, offset, name), trained: true });
        cases.push({ ...hostile(interviewDoc, offset + 1, name), trained: false });
        cases.push({ ...hostile(convDoc, offset + 2, name), trained: true });
      }
      const plain = [{ ...benign(everyNodeDoc), trained: true }, { ...benign(interviewDoc), trained: false }, { ...benign(convDoc), trained: true }];
      const all = [...plain, ...cases];
      all.forEach((c, i) => {
        const weights = c.trained ? weightsOf(c.doc, c.analysis, 3) : undefined;
        const hostileFile = `net"""\n${HOSTILE[i % HOSTILE.length]}`;
        const { files } = exportNetwork(c.doc, c.analysis, weights, format, {
          baseName: `case${i}`, data: hostileData(c.doc, c.analysis), weightsFile: `${hostileFile}.weights.safetensors`,
        });
        const script = path.join(dir, files[0].name);
        writeFileSync(script, files[0].content);
        const csvFile = files.find((f) => f.name.endsWith('.csv'));
        assert.ok(csvFile, 'the data CSV is exported');
        writeFileSync(path.join(dir, csvFile.name), csvFile.content);
        jobs.push([script, path.join(dir, csvFile.name)]);
        // Hostile case i has the same structure as the plain export of the same fixture.
        if (i >= plain.length) expected.set(script, jobs[(i - plain.length) % plain.length][0]);
      });
      const got = JSON.parse(runPython(['-c', INSPECT, JSON.stringify(jobs)], { cwd: dir })) as Record<string, Inspected>;
      for (const [script] of jobs) {
        const r = got[script];
        assert.equal(r.error, undefined, `${path.basename(script)} does not parse: ${r.error}`);
        // Sanitised identifiers may spell the payload (`a_import_os__os_system__pwned____0`), never run it.
        assert.ok(!r.idents.some((n) => n === 'pwned' || n === 'system'), `${path.basename(script)}: the payload became code: ${r.idents.filter((n) => /^(pwned|system)$/.test(n)).join(', ')}`);
        assert.equal(r.header?.length, 1 + (r.header?.filter((h) => h.startsWith('x:')).length ?? 0) + (r.header?.filter((h) => h.startsWith('y:')).length ?? 0), 'every CSV column is split, x:… or y:…');
        const plainScript = expected.get(script);
        if (plainScript) {
          assert.deepEqual(r.top, got[plainScript].top, `${path.basename(script)}: top-level statements differ from the plain export`);
          assert.deepEqual(r.kinds, got[plainScript].kinds, `${path.basename(script)}: the syntax tree differs from the plain export`);
        }
      }
    });
  }

  it('pytorch and keras: 40 seeded random ids (10 on the image network) of quotes, escapes, separators and any code point keep the plain syntax tree', () => {
    const rnd = seededRandom(1130);
    const pieces = ['"', "'", '\\', '\n', '\r', '#', '*/', '"""', '\u0000', '\u2028', '\u0085', '\u202e', '{', '}', '%s', '${x}', ' ', 'a', '1', '\ud800', '\udc00'];
    const randomText = (): string => Array.from({ length: 1 + Math.floor((rnd() + 1) * 6) }, () => {
      const k = Math.floor((rnd() + 1) * 12);
      if (k < 9) return pieces[Math.floor((rnd() + 1) / 2 * pieces.length)];
      if (k < 11) return String.fromCodePoint(0x20 + Math.floor((rnd() + 1) / 2 * 0xd000));
      return String.fromCodePoint(0x10000 + Math.floor((rnd() + 1) / 2 * 0xfffff));
    }).join('');
    const jobs: [string, null][] = [];
    // Each design's random cases are checked against the plain export of the same design.
    const plainOf = new Map<string, string>();
    for (const [design, fixture, count] of [['every', everyNodeDoc, 40], ['conv', convDoc, 10]] as const) for (const format of ['pytorch', 'keras'] as ExportFormat[]) {
      const plain = benign(fixture);
      const first = exportNetwork(plain.doc, plain.analysis, weightsOf(plain.doc, plain.analysis, 1), format, { baseName: `plain_${design}_${format}` }).files[0];
      writeFileSync(path.join(dir, first.name), first.content);
      jobs.push([path.join(dir, first.name), null]);
      for (let i = 0; i < count; i++) {
        const c = benign(fixture);
        const ids = new Map(c.doc.nodes.map((n, k) => [n.id, `${randomText()}${k}`]));
        const r = (id: string): string => ids.get(id) as string;
        const doc: NetworkDoc = { ...c.doc, name: randomText(), nodes: c.doc.nodes.map((n) => ({ ...n, id: r(n.id), label: randomText() })), edges: c.doc.edges.map((e) => ({ from: r(e.from), to: r(e.to) })) };
        const analysis: ExportAnalysis = {
          order: c.analysis.order.map(r), inputs: c.analysis.inputs.map(r), outputs: c.analysis.outputs.map(r),
          shapes: new Map([...c.analysis.shapes].map(([k, v]) => [r(k), v])), inputsOf: new Map([...c.analysis.inputsOf].map(([k, v]) => [r(k), v.map(r)])),
        };
        const f = exportNetwork(doc, analysis, weightsOf(doc, analysis, 1), format, { baseName: `rand${i}_${design}_${format}`, weightsFile: `${randomText()}.safetensors` }).files[0];
        writeFileSync(path.join(dir, f.name), f.content);
        jobs.push([path.join(dir, f.name), null]);
        plainOf.set(path.join(dir, f.name), path.join(dir, first.name));
      }
    }
    const got = JSON.parse(runPython(['-c', INSPECT, JSON.stringify(jobs)], { cwd: dir })) as Record<string, Inspected>;
    assert.equal(plainOf.size, 100);
    for (const [script] of jobs) {
      const r = got[script];
      assert.equal(r.error, undefined, `${path.basename(script)} does not parse: ${r.error}`);
      const plain = plainOf.get(script);
      if (plain) assert.deepEqual(r.kinds, got[plain].kinds, `${path.basename(script)}: the syntax tree differs from the plain export`);
    }
  });

  it('onnx: every name in the model is a sanitised identifier, and onnxruntime loads it', async () => {
    for (let offset = 0; offset < HOSTILE.length; offset += 3) {
      const c = hostile(everyNodeDoc, offset, HOSTILE[offset]);
      const { files } = exportNetwork(c.doc, c.analysis, randomWeights(c.doc, c.analysis, 5), 'onnx', { standardizer: { mean: [0, 0, 0, 0, 0], std: [1, 1, 1, 1, 1] } });
      const bytes = files[0].content as Uint8Array;
      const model = onnxType('ModelProto').toObject(onnxType('ModelProto').decode(bytes)) as {
        graph: { name: string; node: { name: string; input: string[]; output: string[] }[]; initializer: { name: string }[]; input: { name: string }[]; output: { name: string }[] };
      };
      const g = model.graph;
      const names = [g.name, ...g.node.flatMap((n) => [n.name, ...n.input, ...n.output]), ...g.initializer.map((t) => t.name), ...g.input.map((v) => v.name), ...g.output.map((v) => v.name)];
      for (const n of names) assert.match(n, /^[A-Za-z0-9_\-./]+$/, `ONNX name ${JSON.stringify(n)}`);
      assert.equal(new Set(g.input.map((v) => v.name)).size, 2);
      const session = await ort.InferenceSession.create(bytes);
      const feeds = Object.fromEntries(session.inputNames.map((name, i) => [name, new ort.Tensor('float32', new Float32Array(i === 0 ? 3 : 2), [1, i === 0 ? 3 : 2])]));
      const res = await session.run(feeds);
      assert.equal(Object.keys(res).length, 2);
    }
    // The image network adds reshape, transpose, conv, pool and batch-norm names.
    for (let offset = 0; offset < HOSTILE.length; offset += 3) {
      const c = hostile(convDoc, offset, HOSTILE[offset]);
      const bytes = exportNetwork(c.doc, c.analysis, weightsOf(c.doc, c.analysis, 5), 'onnx').files[0].content as Uint8Array;
      const g = (onnxType('ModelProto').toObject(onnxType('ModelProto').decode(bytes)) as {
        graph: { name: string; node: { name: string; input: string[]; output: string[] }[]; initializer: { name: string }[]; input: { name: string }[]; output: { name: string }[] };
      }).graph;
      const names = [g.name, ...g.node.flatMap((n) => [n.name, ...n.input, ...n.output]), ...g.initializer.map((t) => t.name), ...g.input.map((v) => v.name), ...g.output.map((v) => v.name)];
      for (const n of names) assert.match(n, /^[A-Za-z0-9_\-./]+$/, `ONNX name ${JSON.stringify(n)}`);
      const session = await ort.InferenceSession.create(bytes);
      const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', new Float32Array(2 * 144), [2, 144]) });
      assert.equal(Object.keys(res).length, 2);
    }
  });
});
