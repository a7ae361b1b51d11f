/**
 * A live training stream into an editor page: the trainer's core runs in this (Node) process on
 * a real network and every update is posted into the page as its own message, as VS Code
 * delivers them. The page is instrumented to measure what the issue asks: the longest
 * main-thread task while the stream flows, and the updates per second that reach the view.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { FromTrainer, ResponseMessage, TrainingUpdate } from '../../src/protocol';
import { TrainerCore } from '../../src/trainer/trainerCore';
import { encodeTyped } from './panelHarness';

/** What a streamed run measured. */
export interface StreamFigures {
  seconds: number;
  sent: number;
  /** Updates the training view applied, per second. */
  appliedPerSec: number;
  /** Longest task seen by the Long Tasks API (0 when none reached its 50 ms floor). */
  longestLongTaskMs: number;
  longTasks: number;
  /** Longest single update handling, and longest frame draw, measured around the view's methods. */
  maxApplyMs: number;
  maxRenderMs: number;
  /** Worst lateness of a 16 ms timer chain (approximates the longest blocking task of any kind). */
  maxTimerLagMs: number;
  frames: number;
}

const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

/** Installs the probes in the page (call before streaming). */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const m = window.__ncProbe = { long: [], maxApply: 0, maxRender: 0, maxLag: 0, applied: 0, stop: false };
    try { new PerformanceObserver((l) => { for (const e of l.getEntries()) m.long.push(e.duration); }).observe({ type: 'longtask', buffered: true }); } catch {}
    const v = window.neuralCanvasTraining;
    const apply = v.apply.bind(v), render = v.render.bind(v);
    v.apply = (u) => { const t = performance.now(); apply(u); m.applied++; m.maxApply = Math.max(m.maxApply, performance.now() - t); };
    v.render = () => { const t = performance.now(); render(); m.maxRender = Math.max(m.maxRender, performance.now() - t); };
    let last = performance.now();
    const tick = () => { const now = performance.now(); m.maxLag = Math.max(m.maxLag, now - last - 16); last = now; if (!m.stop) setTimeout(tick, 16); };
    setTimeout(tick, 16);
  })()`);
}

/** Trains `fixture` for `ms`, posting each update into the page as a 'training' message. */
export async function streamRun(page: Page, fixture: string, ms: number): Promise<StreamFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-stream-'));
  const file = path.join(dir, path.basename(fixture));
  fs.copyFileSync(fixture, file);
  await instrument(page);
  let queue: TrainingUpdate[] = [];
  let sent = 0;
  const core = new TrainerCore((m: FromTrainer | ResponseMessage) => { if (m.type === 'update') queue.push(m.update); });
  const flush = async (): Promise<void> => {
    if (queue.length === 0) return;
    const batch = queue.map((update) => encodeTyped({ type: 'training', update }));
    sent += queue.length;
    queue = [];
    // Each update is its own message (its own task), as the webview host delivers them.
    await page.evaluate(`(() => { ${REVIVE} for (const m of ${JSON.stringify(batch)}) window.postMessage(__revive(m), '*'); })()`);
  };
  const t0 = Date.now();
  core.receive({ type: 'train', runId: 1, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir], overrides: { backend: 'cpu', epochs: 1_000_000 } });
  while (Date.now() - t0 < ms) {
    await new Promise((r) => setTimeout(r, 25));
    await flush();
  }
  core.receive({ type: 'stop', runId: 1 });
  await core.idle();
  await flush();
  const seconds = (Date.now() - t0) / 1000;
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const probe = (await page.evaluate(`(() => { const m = window.__ncProbe; m.stop = true; return { long: m.long, maxApply: m.maxApply, maxRender: m.maxRender, maxLag: m.maxLag, applied: m.applied, frames: window.neuralCanvasTraining.frames }; })()`)) as
    { long: number[]; maxApply: number; maxRender: number; maxLag: number; applied: number; frames: number };
  return {
    seconds, sent, appliedPerSec: probe.applied / seconds, longestLongTaskMs: Math.max(0, ...probe.long), longTasks: probe.long.length,
    maxApplyMs: probe.maxApply, maxRenderMs: probe.maxRender, maxTimerLagMs: Math.max(0, probe.maxLag), frames: probe.frames,
  };
}
