/**
 * A person's hands on the VS Code workbench (code-server in Chromium): the Explorer, the
 * command palette, keys, tabs, and the graph editor's webview two iframes deep. Key presses
 * are retried because focus moving between the workbench and a webview sometimes eats one.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { REPO_ROOT, findVsix, openBrowser, startCodeServer, workbenchUrl, type BrowserSession, type CodeServer } from '../integration/codeServer';

/** Where scenario screenshots go (gitignored; CI keeps them as artifacts). */
export const RESULTS_DIR = join(REPO_ROOT, 'test-results', 'e2e');

/** Retries `attempt` (which should throw when it did not work) a few times with a pause. */
export async function retry<T>(what: string, attempt: () => Promise<T>, tries = 5, pauseMs = 700): Promise<T> {
  let last: unknown;
  for (let i = 0; i < tries; i++) {
    try {
      return await attempt();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
  throw new Error(`${what} failed after ${tries} tries: ${last instanceof Error ? last.message : String(last)}`);
}

/** Waits until the workbench has rendered and the Explorer shows the workspace. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** The command palette's input box (opened with F1, retried). */
async function openPalette(page: Page): Promise<Locator> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await retry('opening the command palette (F1)', async () => {
    if (!(await input.isVisible())) await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 2_000 });
  });
  return input;
}

/** Closes the quick input if it is open. */
export async function closePalette(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: 5_000 });
}

/** The palette rows' labels for a query (e.g. "Neural Canvas:"). */
export async function paletteLabels(page: Page, query: string): Promise<string[]> {
  const input = await openPalette(page);
  await input.fill(`>${query}`);
  await page.waitForTimeout(400);
  const labels = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
  return labels.map((l) => l.split('\n')[0].trim());
}

/**
 * Waits until the extension's commands are in the palette: a file opened before the
 * contributions are registered would open in the plain text editor.
 */
export async function waitForExtensionCommands(page: Page, category = 'Neural Canvas'): Promise<string[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const labels = (await paletteLabels(page, `${category}:`)).filter((l) => l.startsWith(`${category}:`));
    await closePalette(page);
    if (labels.length > 0) return labels;
    if (Date.now() > deadline) throw new Error(`no "${category}: …" command appeared in the palette within 60 s`);
    await page.waitForTimeout(1_000);
  }
}

/** Runs a palette command by its exact label ("<category>: <title>"). */
export async function runCommand(page: Page, label: string): Promise<void> {
  await retry(`running "${label}" from the palette`, async () => {
    const input = await openPalette(page);
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ state: 'visible', timeout: 3_000 });
    // Enter, not a click: a command may open a quick pick of its own in the same widget.
    await input.press('Enter');
  }, 3);
}

/**
 * Runs the palette row whose label is exactly `label`: fuzzy search also lists look-alikes (Train
 * lists "Train with Options…"), so the row is chosen by its position among the labels.
 */
export async function runExact(page: Page, label: string, tries = 3): Promise<void> {
  await retry(`running exactly "${label}"`, async () => {
    const input = page.locator('.quick-input-widget .quick-input-box input');
    if (!(await input.isVisible())) await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 2_000 });
    await input.fill(`>${label}`);
    await page.waitForTimeout(400);
    const labels = (await page.locator('.quick-input-widget .monaco-list-row .label-name').allInnerTexts()).map((l) => l.trim());
    const index = labels.indexOf(label);
    assert.ok(index >= 0, `"${label}" not among ${labels.join(' | ')}`);
    for (let i = 0; i < index; i++) await input.press('ArrowDown');
    await input.press('Enter');
  }, tries);
}

/**
 * "Train with Options…" through its three prompts: `epochs`, the learning rate kept, the CPU
 * backend. The quick input closes when focus moves (the webview may take it while it settles), so
 * the whole prompt is retried from the start, as a person would start over.
 */
export async function trainWithOptions(page: Page, epochs: number): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const step = async (label: RegExp, value?: string): Promise<void> => {
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    assert.match(await page.locator('.quick-input-widget').innerText(), label);
    if (value !== undefined) await input.fill(value);
    await page.waitForTimeout(150);
    await input.press('Enter');
  };
  await retry(`Train with Options (epochs ${epochs}, learning rate kept, backend cpu)`, async () => {
    await page.keyboard.press('Escape');
    await runExact(page, 'Neural Canvas: Train with Options…');
    await step(/epochs/, String(epochs));
    await step(/learning rate/);
    await step(/backend/, 'cpu');
  }, 4, 500);
}

/** The webview frame whose document holds `selector` (the panel and the editor are both webviews); the error lists the frames seen. */
export async function frameWith(page: Page, selector: string): Promise<Frame> {
  return retry(`a webview frame with ${selector}`, async () => {
    const seen: string[] = [];
    for (const f of page.frames()) {
      if (await f.$(selector).catch(() => null)) return f;
      seen.push(`${f.url().slice(0, 80)} ${(await f.$('#panel').catch(() => null)) ? '(panel)' : ''}`);
    }
    throw new Error(`not yet; frames: ${seen.join(' | ')}`);
  }, 60, 1000);
}

/** Opens a file by clicking its row in the Explorer, as a person does. */
export async function openFromExplorer(page: Page, fileName: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.dblclick();
}

/** The graph editor's content: the webview's inner frame (two iframes deep). */
export function graphFrame(page: Page): FrameLocator {
  // Only the visible webview: a hidden editor or panel keeps its own iframe around.
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

/** The tab of a file, by its name. */
export function tab(page: Page, fileName: string): Locator {
  return page.locator('.tabs-container .tab', { hasText: fileName }).first();
}

/** True when the file's tab shows the unsaved-changes marker. */
export async function isDirty(page: Page, fileName: string): Promise<boolean> {
  return (await tab(page, fileName).getAttribute('class'))?.split(/\s+/).includes('dirty') ?? false;
}

/** Saves a screenshot of the whole window under test-results/e2e/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The code-server and browser a suite's scenarios share; filled in by useWorkbench's before hook. */
export interface Workbench {
  server: CodeServer;
  session: BrowserSession;
}

/**
 * Registers the suite's hooks: code-server with the installed .vsix and `files` ([source, name in
 * the workspace]) in its workspace, the workbench open in Chromium with the extension's commands
 * registered, a screenshot after every scenario (passed or failed, as evidence), and teardown.
 */
export function useWorkbench(files: [string, string][], opts: { viewport?: { width: number; height: number }; shotPrefix?: string } = {}): Workbench {
  const wb = {} as Workbench;
  before(async function () {
    this.timeout(180_000);
    wb.server = await startCodeServer({ installVsix: findVsix(), workspaceFiles: files });
    wb.session = await openBrowser();
    if (opts.viewport) await wb.session.page.setViewportSize(opts.viewport);
    await wb.session.page.goto(workbenchUrl(wb.server));
    await waitForWorkbench(wb.session.page);
    await waitForExtensionCommands(wb.session.page);
  });
  after(async () => {
    await wb.session?.close();
    await wb.server?.stop();
  });
  afterEach(async function () {
    const name = (this.currentTest?.title ?? 'scenario').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    if (wb.session) await screenshot(wb.session.page, `${opts.shotPrefix ?? ''}${name}`);
  });
  return wb;
}
