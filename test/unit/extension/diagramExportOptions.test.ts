/**
 * The choices of "Export Diagram as SVG / PNG" the host reads before any prompt: the theme quick
 * pick (the workspace's last theme first), the options argument scripts and tests pass (checked,
 * worded for the user), and the file an `out` option names.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { defaultDiagramName, diagramTarget, readDiagramOptions, rememberedTheme, themePickItems } from '../../../src/extension/diagramExportOptions';

describe('diagram export options', () => {
  it('offers every theme, the one used last in this workspace first', () => {
    assert.deepEqual(themePickItems('light').map((i) => i.theme), ['light', 'dark', 'transparent', 'current']);
    const items = themePickItems('transparent');
    assert.deepEqual(items.map((i) => i.theme), ['transparent', 'light', 'dark', 'current']);
    assert.equal(items[0].description, 'last used');
    assert.ok(items.slice(1).every((i) => i.description === undefined));
    assert.deepEqual(items.map((i) => i.label), ['Transparent', 'Light', 'Dark', 'Current editor theme']);
  });

  it('remembers only a theme it knows; light otherwise', () => {
    assert.equal(rememberedTheme('dark'), 'dark');
    assert.equal(rememberedTheme(undefined), 'light');
    assert.equal(rememberedTheme('sepia'), 'light');
  });

  it('reads the options argument, ignoring what menus pass and refusing wrong values', () => {
    assert.deepEqual(readDiagramOptions(undefined), { options: {} });
    assert.deepEqual(readDiagramOptions({ groupId: 1 }), { options: {} }, 'an editor menu\'s context object');
    assert.deepEqual(readDiagramOptions({ theme: 'dark', out: 'a.svg', force: true }), { options: { theme: 'dark', out: 'a.svg', force: true } });
    assert.deepEqual(readDiagramOptions({ theme: 'blue' }), { problem: '"theme" must be one of light, dark, transparent, current, got "blue".' });
    assert.ok('problem' in readDiagramOptions({ out: '' }));
    assert.ok('problem' in readDiagramOptions({ out: 3 }));
    assert.ok('problem' in readDiagramOptions({ force: 'yes' }));
  });

  it('names the file: beside the .nn file by default, relative paths from its folder, the format\'s extension', () => {
    const nn = path.join(path.sep, 'work', 'nets', 'spiral.nn');
    assert.equal(defaultDiagramName(nn, 'svg'), 'spiral.svg');
    assert.equal(defaultDiagramName(nn, 'png'), 'spiral.png');
    assert.deepEqual(diagramTarget(nn, 'png', 'out/diagram.png', false), { file: path.join(path.sep, 'work', 'nets', 'out', 'diagram.png') });
    assert.deepEqual(diagramTarget(nn, 'svg', path.join(path.sep, 'tmp', 'x'), true), { file: path.join(path.sep, 'tmp', 'x', 'spiral.svg') });
    assert.deepEqual(diagramTarget(nn, 'svg', 'picture.png', false), { problem: '"out" must end in .svg for an SVG export (or name a folder), got picture.png.' });
  });
});
