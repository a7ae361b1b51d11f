/**
 * The import fences of eslint.config.mjs (docs/architecture.md, "Who imports whom"), proved by
 * probes: each forbidden import below must be reported by no-restricted-imports when it is
 * written in a file of that folder, and each allowed import must not be. The probes are linted
 * from memory (ESLint's lintText with a file path inside the folder); nothing is written.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');

interface Probe { file: string; forbidden: string[]; allowed: string[] }

const probes: Probe[] = [
  {
    file: 'src/model/probe.ts',
    forbidden: ['../engine', '../engine/compile', '../engine/data', '../export', '../jobs', '../jobs/trainJob', '../trainer/main', '../cli/predict', '../extension/templates', '../protocol', 'vscode', 'node:fs', 'path'],
    allowed: ['./types', './fieldRules'],
  },
  {
    file: 'src/engine/cpu/probe.ts',
    forbidden: ['../../protocol', '../../export', '../../jobs', '../../trainer/main', '../../cli/predict', '../../extension/templates', 'vscode'],
    allowed: ['../compile', '../backend', '../data/csvTable', '../../model/types', '../../model', 'node:fs'],
  },
  {
    file: 'src/export/probe.ts',
    forbidden: ['../trainer', '../trainer/exportFiles', '../jobs', '../cli/predict', '../extension/templates', '../protocol', '../engine/compile', '../engine/weights/safetensors', '../engine/data/dataset', 'vscode', 'node:fs'],
    allowed: ['../engine', '../engine/data', '../engine/weights', '../model', './exportTypes'],
  },
  {
    file: 'src/protocol/probe.ts',
    forbidden: ['../engine', '../engine/events', '../export', '../jobs', '../trainer/main', '../cli/predict', '../extension/templates', 'vscode', 'node:fs', 'path'],
    allowed: ['../model/types', '../model/fieldRules', '../model', './schema'],
  },
  {
    file: 'src/jobs/probe.ts',
    forbidden: ['../trainer', '../trainer/trainerCore', '../cli/trainCommand', '../extension/templates', '../engine/train', '../engine/data/split', 'vscode'],
    allowed: ['../engine', '../engine/data', '../engine/weights', '../model', '../protocol', './prepareJob', 'node:fs'],
  },
  {
    file: 'src/trainer/probe.ts',
    forbidden: ['../engine/compile', '../engine/index', '../engine/session', '../engine/cpu/cpuBackend', '../engine/data/csvTable', '../engine/data/index', '../engine/weights/safetensors', '../cli/predict', '../extension/templates', 'vscode'],
    allowed: ['../engine', '../engine/data', '../engine/weights', '../model', '../protocol', '../export', '../jobs', 'node:child_process'],
  },
  {
    file: 'src/cli/probe.ts',
    forbidden: ['../engine/train', '../engine/data/csvTable', '../extension', '../extension/templates', 'vscode'],
    allowed: ['../engine', '../engine/data', '../engine/weights', '../model', '../export', '../jobs', '../trainer/exportFiles', './cliIo'],
  },
  {
    file: 'src/cli.ts',
    forbidden: ['./engine/train', './extension/templates', 'vscode'],
    allowed: ['./cli/runCli', './engine'],
  },
  {
    file: 'src/extension/training/probe.ts',
    forbidden: ['../../engine/weights/safetensors', '../../engine/compile', '../../cli/predict', '../../cli'],
    allowed: ['vscode', '../../engine/weights', '../../engine', '../../model', '../../protocol', '../graphEditorProvider', 'node:fs'],
  },
  {
    file: 'webview/editor/probe.ts',
    forbidden: ['../../src/engine', '../../src/engine/compile', '../../src/engine/data', '../../src/export', '../../src/jobs', '../../src/export/pytorch/pytorchScript', '../../src/trainer/main', '../../src/cli', '../../src/cli/predict', '../../src/extension', '../../src/extension/templates', 'vscode', 'node:fs', 'fs'],
    allowed: ['../../src/protocol', '../../src/model/types', '../../src/model', './viewModel', '../shared/colours'],
  },
  {
    file: 'webview/editor/training/probe.ts',
    forbidden: ['../../../src/engine', '../../../src/export'],
    allowed: ['../../../src/protocol', './draw'],
  },
];

describe('lint fences (eslint.config.mjs)', function () {
  this.timeout(120_000);
  let eslint: ESLint;
  before(() => { eslint = new ESLint({ cwd: root }); });

  async function fenceMessages(file: string, spec: string): Promise<string[]> {
    const [result] = await eslint.lintText(`import '${spec}';\n`, { filePath: path.join(root, file) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  }

  for (const probe of probes) {
    describe(probe.file, () => {
      for (const spec of probe.forbidden) {
        it(`refuses '${spec}'`, async () => {
          const messages = await fenceMessages(probe.file, spec);
          assert.ok(messages.length > 0, `no-restricted-imports should report import '${spec}' in ${probe.file}`);
          for (const m of messages) assert.match(m, /docs\/architecture\.md/, 'the message names the document that explains the fence');
        });
      }
      for (const spec of probe.allowed) {
        it(`allows '${spec}'`, async () => {
          assert.deepEqual(await fenceMessages(probe.file, spec), []);
        });
      }
    });
  }

  it('tells the user which entry point to use instead of an engine internal', async () => {
    const [message] = await fenceMessages('src/trainer/probe.ts', '../engine/compile');
    assert.match(message, /'…\/engine', '…\/engine\/data' or '…\/engine\/weights'/);
  });

  it('applies to `export … from` and type-only imports as well', async () => {
    for (const code of [`export { compileNetwork } from '../engine/compile';\n`, `import type { EngineSession } from '../engine/session';\n`]) {
      const [result] = await eslint.lintText(code, { filePath: path.join(root, 'src/trainer/probe.ts') });
      assert.equal(result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length, 1, code);
    }
  });
});
