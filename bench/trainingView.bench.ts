/**
 * Training view responsiveness (issue 6): a 30-second spiral run streams into the real editor
 * bundle in headless Chromium; prints the longest main-thread task and the updates per second
 * that reach the view. Printed, never asserted (benchmarks are not tests: docs/architecture.md).
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { EditorBrowser, readRepoFile } from '../test/webview/editorHarness';
import { describeLongFrame, streamRun } from '../test/webview/trainingStream';

/** The benchmark; NN_STREAM_SECONDS shortens it for a quick look. */
export default async function run(): Promise<void> {
  const seconds = Number(process.env.NN_STREAM_SECONDS ?? 30);
  const fixture = path.resolve(__dirname, '../test/unit/trainer/fixtures/spiral.nn');
  const browser = new EditorBrowser();
  await browser.start();
  try {
    const host = await browser.open(readRepoFile('test/unit/trainer/fixtures/spiral.nn'), { width: 1280, height: 760, fileName: 'spiral.nn' });
    const f = await streamRun(host.page, fixture, seconds * 1000, { trace: true });
    console.log(`\n  training view during a ${f.seconds.toFixed(1)} s spiral run (headless Chromium, real editor bundle, real trainer stream; load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`);
    console.log(`    updates sent ${f.sent}, reaching the view ${f.appliedPerSec.toFixed(1)}/s; frames drawn ${f.frames} (${(f.frames / f.seconds).toFixed(1)}/s)`);
    console.log(`    longest main-thread task: ${f.longTasks === 0 ? 'none ≥ 50 ms (Long Tasks API)' : `${f.longestLongTaskMs.toFixed(1)} ms (${f.longTasks} long tasks)`}; target < 50 ms`);
    console.log(`    longest update handling ${f.maxApplyMs.toFixed(2)} ms, longest frame draw ${f.maxRenderMs.toFixed(2)} ms, worst 16 ms-timer lateness ${f.maxTimerLagMs.toFixed(1)} ms`);
    // CPU time per task (a trace): on a loaded machine wall time is mostly waiting for a core.
    const costly = f.tasks ?? [];
    if (costly.length > 0) {
      console.log(`    costliest main-thread tasks by CPU time (what a quiet machine would take), of ${costly.length}:`);
      for (const t of costly.slice(0, 6)) console.log(`      cpu ${t.cpuMs.toFixed(1)} ms (wall ${t.wallMs.toFixed(0)}) at ${t.atS.toFixed(1)} s: ${t.parts || 'nothing traced inside'}`);
    }
    // What the long frames were (Chromium's Long Animation Frames: the scripts that ran, the updates handled).
    if (f.longFrames.length > 0) console.log(`    long animation frames (${f.longFrames.length}), longest first:\n${f.longFrames.slice(0, 8).map((l) => `      ${describeLongFrame(l)}`).join('\n')}`);
    await host.page.close();
  } finally {
    await browser.stop();
  }
}

if (require.main === module) void run();
