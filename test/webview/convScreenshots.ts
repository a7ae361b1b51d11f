/**
 * Screenshots of image networks in the graph editor (headless Chromium, VS Code-like themes):
 * LeNet-5 and the Keras MNIST convnet, light and dark, at 1400×900, with a conv node selected so
 * the inspector shows its fields and live output shape.
 *
 *   node --import tsx test/webview/convScreenshots.ts [outDir [file.nn …]]   (default: docs/images, the two examples)
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { EditorBrowser, readRepoFile } from './editorHarness';
import { screenshotRun } from './screenshotRun';

screenshotRun(new EditorBrowser(), 'docs/images', async (browser, out) => {
  const files = process.argv.slice(3);
  const texts = files.length ? files.map((f) => ({ name: basename(f, '.nn'), text: readFileSync(f, 'utf8') }))
    : ['lenet5', 'mnist-convnet'].map((name) => ({ name, text: readRepoFile(`examples/${name}.nn`) }));
  for (const { name, text } of texts) {
    for (const theme of ['light', 'dark'] as const) {
      const host = await browser.open(text, { theme, width: 1400, height: 900, fileName: `${name}.nn` });
      const conv = await host.page.$('.node.type-conv2d .node-title');
      if (conv) await conv.click();
      await host.page.mouse.move(5, 450);
      await host.page.waitForTimeout(400);
      await host.page.screenshot({ path: resolve(out, `graph-${name}-${theme}.png`) });
      if (host.errors.length) console.error(`${name} ${theme}: ${host.errors.join('; ')}`);
      await host.page.close();
    }
  }
});
