/**
 * What the .vsix carries, checked from inside the installed extension: the native WebGPU
 * module for this platform loads in the extension host's Node, and the bundles the manifest
 * and the trainer need are present (sources and maps are not).
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { extensionUnderTest } from './extensionUnderTest';

/** The folder of node_modules/webgpu/dist holding this platform's dawn.node. */
function webgpuPlatformDir(): string {
  return process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;
}

describe('the installed package', () => {
  it('ships the native webgpu module for this platform only', () => {
    const dist = join(extensionUnderTest().extensionPath, 'node_modules', 'webgpu', 'dist');
    assert.deepEqual(readdirSync(dist), [webgpuPlatformDir()]);
    assert.ok(existsSync(join(dist, webgpuPlatformDir(), 'dawn.node')));
  });

  it('loads the webgpu module in the extension host and creates a GPU entry point', async () => {
    const index = join(extensionUnderTest().extensionPath, 'node_modules', 'webgpu', 'index.js');
    const webgpu = (await import(pathToFileURL(index).href)) as { create: (flags: string[]) => { requestAdapter: unknown } };
    assert.equal(typeof webgpu.create, 'function');
    // Creating the entry point loads dawn.node; whether an adapter exists depends on the machine.
    const gpu = webgpu.create([]);
    assert.equal(typeof gpu.requestAdapter, 'function');
  });

  it('holds the bundles and no sources or source maps', () => {
    const root = extensionUnderTest().extensionPath;
    const main = (extensionUnderTest().packageJSON as { main: string }).main;
    assert.ok(existsSync(join(root, main)), `the manifest's main ${main} is missing`);
    for (const absent of ['src', 'test', 'webview', 'scripts', 'tsconfig.json']) {
      assert.equal(existsSync(join(root, absent)), false, `${absent} should not be in the package`);
    }
    const maps = readdirSync(join(root, 'dist'), { recursive: true }).map(String).filter((f) => f.endsWith('.map'));
    assert.deepEqual(maps, []);
  });
});
