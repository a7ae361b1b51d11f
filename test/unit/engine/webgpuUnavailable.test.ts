/**
 * What a user (and CI) sees on a machine without a WebGPU adapter. Simulated in a child process
 * with EGL_PLATFORM=x11 and no display, where Mesa's EGL — the only adapter on a GPU-less machine
 * — cannot start: the error names the packages to install, CI fails rather than skips, a local
 * opt-out is loud, and `auto` falls back to the CPU saying why.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** Runs a TypeScript snippet in a fresh Node with no usable adapter; returns its output. */
function runWithoutAdapter(code: string, env: Record<string, string | undefined> = {}): Promise<{ stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-nogpu-'));
  const file = path.join(dir, 'probe.ts');
  fs.writeFileSync(file, code.replace(/@root/g, root.replace(/\\/g, '/')));
  const childEnv: Record<string, string | undefined> = { ...process.env, EGL_PLATFORM: 'x11', DISPLAY: undefined, WAYLAND_DISPLAY: undefined, ...env };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', file], { cwd: root, env: childEnv as NodeJS.ProcessEnv, timeout: 60000 }, (err, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (err && !stdout) reject(new Error(`probe failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('webgpu on a machine without an adapter', function () {
  this.timeout(120000);

  before(async function () {
    const probe = await runWithoutAdapter(`
      import { acquireGpu } from '@root/src/engine/webgpu/gpuDevice';
      acquireGpu().then((c) => console.log('ADAPTER ' + c.report.name), () => console.log('NONE'));
    `);
    if (probe.stdout.includes('ADAPTER')) {
      // A hardware adapter does not go through EGL, so its absence cannot be simulated here.
      process.stderr.write(`\n*** webgpu no-adapter tests SKIPPED: this machine has a hardware adapter (${probe.stdout.trim()}) ***\n\n`);
      this.skip();
    }
  });

  it('fails with the Debian packages to install and the CPU alternative', async () => {
    const r = await runWithoutAdapter(`
      import { createWebGpuBackend } from '@root/src/engine/webgpu/webgpuBackend';
      createWebGpuBackend().then(() => console.log('UNEXPECTED'), (e) => console.log(e.name + ': ' + e.message));
    `);
    assert.match(r.stdout, /GpuUnavailableError: WebGPU is not available: Dawn found no GPU adapter/);
    assert.match(r.stdout, /libegl1 libgles2 libegl-mesa0 mesa-vulkan-drivers libvulkan1/);
    assert.match(r.stdout, /--backend cpu/);
  });

  it('in CI the conformance entry fails instead of skipping, even with NN_SKIP_WEBGPU=1', async () => {
    const code = `
      import { backendsUnderTest } from '@root/test/unit/engine/backends';
      backendsUnderTest.find((b) => b.name === 'webgpu')!.create().then((b) => console.log(b ? 'BACKEND' : 'SKIPPED'), (e) => console.log('FAILED: ' + e.message));
    `;
    const ci = await runWithoutAdapter(code, { CI: 'true', NN_SKIP_WEBGPU: '1' });
    assert.match(ci.stdout, /FAILED: the webgpu backend is unavailable: WebGPU is not available.*mesa-vulkan-drivers/);
    const local = await runWithoutAdapter(code, { CI: undefined, NN_SKIP_WEBGPU: '1' });
    assert.match(local.stdout, /SKIPPED/);
    assert.match(local.stderr, /\*\*\* webgpu backend SKIPPED \(NN_SKIP_WEBGPU=1\)/, 'a local skip is announced loudly');
    const neither = await runWithoutAdapter(code, { CI: undefined, NN_SKIP_WEBGPU: undefined });
    assert.match(neither.stdout, /FAILED: .*set NN_SKIP_WEBGPU=1 to skip locally; never in CI/);
  });

  it('auto falls back to the CPU for a large network and says why; webgpu refuses with the hint', async () => {
    const r = await runWithoutAdapter(`
      import { pickBackend } from '@root/src/engine';
      (async () => {
        const auto = await pickBackend('auto', { params: 2_000_000, batch: 256 });
        console.log('AUTO ' + auto.backend.name + ' | ' + auto.reason);
        await pickBackend('webgpu', { params: 10, batch: 1 }).then(() => console.log('UNEXPECTED'), (e) => console.log('WEBGPU ' + e.message));
      })();
    `);
    // Without GPU device nodes auto decides before probing; with them, the failed probe is the reason.
    assert.match(r.stdout, /AUTO cpu \| auto: (no WebGPU adapter \(WebGPU is not available|this machine has no GPU device)/);
    assert.match(r.stdout, /WEBGPU WebGPU is not available: .*sudo apt-get install/);
  });
});
