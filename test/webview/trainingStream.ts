/**
 * A live training stream into an editor page: the real training process (forked, as the
 * extension does) trains a real network and every update is posted into the page as its own
 * message, as VS Code delivers them. The page is instrumented to measure what the issue asks: the longest
 * main-thread task while the stream flows, and the updates per second that reach the view.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { TrainerClient } from '../../src/extension/training/trainerClient';
import type { TrainingUpdate } from '../../src/protocol';
import { type TaskCost, traceMainThread } from './mainThreadTasks';
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
  /**
   * The long animation frames (Chromium's LoAF, ≥ 50 ms) while the stream flowed, longest first:
   * what ran in them (each script's entry point and function, its time and forced layout), the
   * style-and-layout and paint time after the scripts, and the updates handled meanwhile.
   */
  longFrames: LongFrame[];
  /** With `trace`: every main-thread task of the stream with its wall and CPU time, costliest (CPU) first. */
  tasks?: TaskCost[];
}

/** One long animation frame, attributed. */
export interface LongFrame {
  ms: number;
  /** The frame's rendering part: animation-frame callbacks, then style, layout and paint. */
  renderMs: number;
  /** Its style and layout (and paint) after the callbacks. */
  styleLayoutMs: number;
  scripts: { invoker: string; fn: string; ms: number; forcedLayoutMs: number }[];
  /** Kinds of the updates handled during the frame, with counts ('neurons×3'). */
  updates: string[];
}

const REVIVE = `function __revive(v){if(Array.isArray(v))return v.map(__revive);if(v&&typeof v==='object'){if(v.__typed==='f32')return Float32Array.from(v.data);if(v.__typed==='u8')return Uint8Array.from(v.data);const o={};for(const k in v)o[k]=__revive(v[k]);return o;}return v;}`;

/** Installs the probes in the page (call before streaming). */
async function instrument(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    // Each update arrives as its own task, parsed there, as the webview host delivers them (one
    // evaluate parsing a batch of boundaries and heatmaps was itself a long task of the harness's).
    ${REVIVE}
    window.__ncDeliver = (msgs) => { for (const m of msgs) setTimeout(() => window.postMessage(__revive(JSON.parse(m)), '*')); };
    const m = window.__ncProbe = { long: [], frames: [], kinds: [], maxApply: 0, maxRender: 0, maxLag: 0, applied: 0, stop: false, t0: performance.now() };
    // Only tasks that start once the stream starts count (page load is not what is measured).
    try { new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.startTime >= m.t0) m.long.push(e.duration); }).observe({ type: 'longtask', buffered: true }); } catch {}
    // Long animation frames name what ran in them (their scripts' entry points and functions).
    try {
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) {
          if (e.startTime < m.t0) continue;
          const end = e.startTime + e.duration;
          const counts = {};
          for (const [t, k] of m.kinds) if (t >= e.startTime && t <= end) counts[k] = (counts[k] || 0) + 1;
          m.frames.push({
            ms: e.duration, renderMs: e.renderStart ? end - e.renderStart : 0,
            styleLayoutMs: e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0,
            scripts: e.scripts.map((x) => ({ invoker: x.invoker, fn: x.sourceFunctionName || '', ms: x.duration, forcedLayoutMs: x.forcedStyleAndLayoutDuration })),
            updates: Object.entries(counts).map(([k, n]) => n > 1 ? k + '×' + n : k),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {}
    const v = window.neuralCanvasTraining;
    const apply = v.apply.bind(v), render = v.render.bind(v);
    v.apply = (u) => { const t = performance.now(); apply(u); m.applied++; m.kinds.push([t, u.kind]); if (m.kinds.length > 5000) m.kinds.splice(0, 2500); m.maxApply = Math.max(m.maxApply, performance.now() - t); };
    v.render = () => { const t = performance.now(); render(); m.maxRender = Math.max(m.maxRender, performance.now() - t); };
    let last = performance.now();
    const tick = () => { const now = performance.now(); m.maxLag = Math.max(m.maxLag, now - last - 16); last = now; if (!m.stop) setTimeout(tick, 16); };
    setTimeout(tick, 16);
  })()`);
}

/** One line per long frame: its time, what ran in it, and the updates it handled. */
export function describeLongFrame(f: LongFrame): string {
  const scripts = f.scripts.map((x) => `${x.invoker}${x.fn ? ` ${x.fn}()` : ''} ${x.ms.toFixed(0)} ms${x.forcedLayoutMs >= 1 ? ` (forced layout ${x.forcedLayoutMs.toFixed(0)})` : ''}`);
  return `${f.ms.toFixed(0)} ms: ${scripts.join(', ') || 'no script'}; rendering ${f.renderMs.toFixed(0)} ms of which style+layout+paint ${f.styleLayoutMs.toFixed(0)} ms${f.updates.length ? `; updates ${f.updates.join(' ')}` : ''}`;
}

/**
 * Trains `fixture` for `ms` (or until `until` settles, if sooner), posting each update into the
 * page as a 'training' message; `trace` also records a Chromium trace for the tasks' CPU times
 * (the bench: wall times on a loaded machine are mostly waiting).
 */
export async function streamRun(page: Page, fixture: string, ms: number, opts: { trace?: boolean; until?: Promise<unknown> } = {}): Promise<StreamFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nn-stream-'));
  const file = path.join(dir, path.basename(fixture));
  fs.copyFileSync(fixture, file);
  await instrument(page);
  const stopTrace = opts.trace ? await traceMainThread(page) : undefined;
  let queue: TrainingUpdate[] = [];
  let sent = 0;
  let flushing: Promise<void> | undefined;
  const client = new TrainerClient({ script: path.resolve(__dirname, '../../src/trainer/main.ts'), execArgv: ['--import', 'tsx'] });
  let finished!: () => void;
  const done = new Promise<void>((r) => { finished = r; });
  client.onUpdate((u) => {
    queue.push(u);
    if (u.kind === 'done' || u.kind === 'error' || u.kind === 'exited') finished();
    // Forward as soon as the event loop is free; updates that arrive meanwhile ride along.
    flushing ??= new Promise<void>((r) => setImmediate(r)).then(flush).finally(() => { flushing = undefined; });
  });
  const flush = async (): Promise<void> => {
    if (queue.length === 0) return;
    const batch = queue.map((update) => JSON.stringify(encodeTyped({ type: 'training', update })));
    sent += queue.length;
    queue = [];
    // Each update is its own message (its own task), as the webview host delivers them; at most
    // ~64 KB a call (the protocol message carrying a larger batch is itself a long task to receive).
    for (let i = 0; i < batch.length;) {
      let size = 0, j = i;
      while (j < batch.length && (j === i || size + batch[j].length <= 65536)) size += batch[j++].length;
      await page.evaluate((msgs) => (globalThis as unknown as { __ncDeliver(m: string[]): void }).__ncDeliver(msgs), batch.slice(i, j));
      i = j;
    }
  };
  const t0 = Date.now();
  client.train({ runId: 1, text: fs.readFileSync(file, 'utf8'), file, allowedRoots: [dir], overrides: { backend: 'cpu', epochs: 1_000_000 } });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise((r) => { timer = setTimeout(r, ms); }), ...(opts.until ? [opts.until] : [])]);
  clearTimeout(timer);
  client.stop(1);
  await done;
  await flushing;
  await flush();
  client.dispose();
  const seconds = (Date.now() - t0) / 1000;
  await page.evaluate('new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 50))');
  const probe = (await page.evaluate(`(() => { const m = window.__ncProbe; m.stop = true; return { long: m.long, longFrames: m.frames.sort((a, b) => b.ms - a.ms), maxApply: m.maxApply, maxRender: m.maxRender, maxLag: m.maxLag, applied: m.applied, frames: window.neuralCanvasTraining.frames }; })()`)) as
    { long: number[]; longFrames: LongFrame[]; maxApply: number; maxRender: number; maxLag: number; applied: number; frames: number };
  const tasks = await stopTrace?.();
  return {
    seconds, sent, appliedPerSec: probe.applied / seconds, longestLongTaskMs: Math.max(0, ...probe.long), longTasks: probe.long.length,
    maxApplyMs: probe.maxApply, maxRenderMs: probe.maxRender, maxTimerLagMs: Math.max(0, probe.maxLag), frames: probe.frames,
    longFrames: probe.longFrames, ...(tasks ? { tasks } : {}),
  };
}
