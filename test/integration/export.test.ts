/**
 * "Neural Canvas: Export…" inside a real VS Code (the installed .vsix): the command, given a
 * format and a folder (so no prompts), has the training process write the ONNX model and the
 * PyTorch script of the interview example, which carries inline weights. "Export Diagram as SVG /
 * PNG", given a theme and a path, writes the diagram in that theme's colours, without the
 * selection, and refuses a bad argument without writing anything.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { GRAPH_VIEW_TYPE, closeAllEditors, examplesRoot, extensionUnderTest } from './extensionUnderTest';

const interview = (): vscode.Uri => vscode.Uri.joinPath(examplesRoot(), 'interview.nn');

/** Hooks of the enclosing describe: the extension active, no editor open, and a fresh output folder (removed after). */
function useOutFolder(prefix: string): () => string {
  let out = '';
  before(async () => {
    await extensionUnderTest().activate();
    await closeAllEditors();
    out = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  after(async () => {
    await closeAllEditors();
    fs.rmSync(out, { recursive: true, force: true });
  });
  return () => out;
}

describe('Export… in VS Code', function () {
  this.timeout(60_000);
  const outFolder = useOutFolder('nn-export-it-');

  it('exports the active graph editor\'s network as an ONNX model', async () => {
    const out = outFolder();
    await vscode.commands.executeCommand('vscode.openWith', interview(), GRAPH_VIEW_TYPE);
    const written = (await vscode.commands.executeCommand('neuralCanvas.export', undefined, { format: 'onnx', out })) as string[] | undefined;
    assert.ok(written, 'the export wrote files (see the error notification otherwise)');
    assert.deepEqual(written, [path.join(out, 'interview.onnx')]);
    assert.ok(fs.statSync(written[0]).size > 0, 'the ONNX model is not empty');
  });

  it('exports a .nn file given as a uri as a PyTorch script', async () => {
    const out = outFolder();
    const written = (await vscode.commands.executeCommand('neuralCanvas.export', interview(), { format: 'pytorch', out })) as string[] | undefined;
    assert.ok(written && written.length > 0, 'the export wrote files');
    const script = path.join(out, 'interview.py');
    assert.equal(written[0], script);
    for (const f of written) assert.ok(fs.statSync(f).size > 0, `${path.basename(f)} is not empty`);
    const text = fs.readFileSync(script, 'utf8');
    assert.match(text, /class /);
    assert.match(text, /nn\.Module/);
  });
});

/** The RGBA of a PNG's top-left pixel (Chromium writes 8-bit RGBA; the first pixel of a row is stored as is). */
function firstPixel(png: Buffer): number[] {
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png[24], 8, '8 bits per channel');
  assert.equal(png[25], 6, 'RGBA');
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  return [...raw.subarray(1, 5)];
}

describe('Export Diagram in VS Code', function () {
  this.timeout(60_000);
  const outFolder = useOutFolder('nn-diagram-it-');

  it('writes the SVG in the theme given, without the selection, to the path given', async () => {
    const out = outFolder();
    const file = path.join(out, 'interview-dark.svg');
    const written = await vscode.commands.executeCommand('neuralCanvas.exportDiagramSvg', interview(), { theme: 'dark', out: file });
    assert.equal(written, file, 'the command returns the file it wrote (see the error notification otherwise)');
    const svg = fs.readFileSync(file, 'utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* data-theme="dark"/);
    assert.match(svg, /<rect class="diagram-background"[^>]* fill="#1e1e1e"\/>/, 'the dark palette\'s background, whatever the editor theme');
    assert.ok(svg.includes('data-node-id="hidden"'));
    assert.doesNotMatch(svg, /class="[^"]*\b(selected|focused)\b|aria-pressed|tabindex/, 'no selection or focus state');
    assert.doesNotMatch(svg, /data-testid="diagram-legend"/, 'no legend: no colour carries meaning in an untrained graph');
  });

  it('writes a transparent PNG into a folder given, named after the network', async () => {
    const out = outFolder();
    const written = await vscode.commands.executeCommand('neuralCanvas.exportDiagramPng', interview(), { theme: 'transparent', out });
    assert.equal(written, path.join(out, 'interview.png'));
    assert.equal(firstPixel(fs.readFileSync(path.join(out, 'interview.png')))[3], 0, 'no background');
    const light = path.join(out, 'light.png');
    await vscode.commands.executeCommand('neuralCanvas.exportDiagramPng', interview(), { theme: 'light', out: light });
    assert.deepEqual(firstPixel(fs.readFileSync(light)), [255, 255, 255, 255], 'a white background');
  });

  it('replaces a file given as a path only when told to (force), and refuses a bad argument without writing', async () => {
    const out = outFolder();
    const file = path.join(out, 'keep.svg');
    fs.writeFileSync(file, 'not a diagram');
    const forced = await vscode.commands.executeCommand('neuralCanvas.exportDiagramSvg', interview(), { theme: 'light', out: file, force: true });
    assert.equal(forced, file);
    assert.match(fs.readFileSync(file, 'utf8'), /^<svg /);
    for (const bad of [{ theme: 'sepia', out: path.join(out, 'bad.svg') }, { theme: 'light', out: path.join(out, 'bad.png') }]) {
      const r = await vscode.commands.executeCommand('neuralCanvas.exportDiagramSvg', interview(), bad);
      assert.equal(r, undefined, JSON.stringify(bad));
    }
    assert.ok(!fs.existsSync(path.join(out, 'bad.svg')) && !fs.existsSync(path.join(out, 'bad.png')));
  });
});
