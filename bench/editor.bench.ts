/**
 * Graph editor figures, measured in headless Chromium on the real webview bundle (issue 5):
 * - layout + first render of a 500-node network: target < 0.5 s. Two figures each, cold and warm:
 *   until the first complete drawing (every node placed, none overlapping; on a cold page the
 *   quick main-thread layout) and until the nodes are moving to ELK's places (the final layout);
 * - first render of a 2,000-node network with its towers in collapsed groups: target < 1 s;
 * - a property edit on a 200-node and on a 2,000-node network re-rendered: target < 50 ms.
 * Printed, never asserted (benchmarks are not tests: docs/architecture.md).
 */
import { applyEdits } from 'jsonc-parser';
import { cpus, loadavg } from 'node:os';
import { documentSnapshot } from '../src/extension/documentSnapshot';
import { setNodeProperty } from '../src/model';
import type { DocumentSnapshot } from '../src/protocol';
import { bigNetworkText, groupedNetworkText } from '../test/webview/bigNetwork';
import { EditorBrowser } from '../test/webview/editorHarness';
import type { FakeHost } from '../test/webview/editorHarness';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Page-side timer, as plain JavaScript text (a compiled function would carry the bundler's helpers). */
const TIME_RENDER = `(snap) => new Promise((resolve) => {
  const t0 = performance.now();
  let drawn;
  const onDrawn = (e) => {
    if (e.detail.version !== snap.version) return;
    document.removeEventListener('nc-drawn', onDrawn);
    drawn = performance.now() - t0;
  };
  const onRendered = (e) => {
    if (e.detail.version !== snap.version) return;
    document.removeEventListener('nc-rendered', onRendered);
    const total = performance.now() - t0;
    resolve({ total, drawn: drawn ?? total, inner: e.detail.ms, laidOut: e.detail.laidOut, layoutMs: e.detail.layoutMs });
  };
  document.addEventListener('nc-drawn', onDrawn);
  document.addEventListener('nc-rendered', onRendered);
  window.postMessage({ type: 'document', snapshot: snap }, '*');
})`;

/** Posts a snapshot from inside the page and times it until the view reports it drawn. */
async function timeRender(host: FakeHost, snapshot: DocumentSnapshot): Promise<{ total: number; drawn: number; inner: number; laidOut: boolean; layoutMs?: number }> {
  return host.page.evaluate(`(${TIME_RENDER})(${JSON.stringify(snapshot)})`);
}

/**
 * A property edit on a 2,000-node design (no groups: every node drawn): the view redraws the one
 * card that changed; the layout, the direction and the wrap are not computed again. Target < 50 ms.
 */
export async function propertyEdit2000(browser: EditorBrowser, rounds = 11): Promise<{ view: number; host: number; relayouts: number }> {
  let text = bigNetworkText(2000);
  // A page showing a small network gets the big one (its first layout may take longer than open() waits).
  const host = await browser.open(bigNetworkText(20), { width: 1400, height: 900 });
  await host.page.emulateMedia({ reducedMotion: 'reduce' });
  const first = await timeRender(host, documentSnapshot(text, 4999, 'bench.nn').snapshot);
  console.log(`  first render, 2,000 nodes (no groups): first complete drawing ${first.drawn.toFixed(0)} ms, ELK's places ${first.total.toFixed(0)} ms (ELK ${first.layoutMs?.toFixed(0)} ms)`);
  const hostSide: number[] = [];
  const viewSide: number[] = [];
  let relayouts = 0;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    text = applyEdits(text, setNodeProperty(text, 't0_1', 'activation', i % 2 ? 'relu' : 'tanh'));
    const snap = documentSnapshot(text, 5000 + i, 'bench.nn').snapshot;
    hostSide.push(performance.now() - t0);
    const r = await timeRender(host, snap);
    viewSide.push(r.total);
    if (r.laidOut) relayouts++;
  }
  await host.page.close();
  const out = { view: median(viewSide), host: median(hostSide), relayouts };
  console.log(`  property edit, 2,000 nodes: view re-render ${out.view.toFixed(1)} ms (median of ${viewSide.length}; ${relayouts} needed a new layout) + host edit and re-parse ${out.host.toFixed(1)} ms; target < 50 ms`);
  return out;
}

/** The editor benchmark. */
export default async function run(): Promise<void> {
  const browser = new EditorBrowser();
  await browser.start();
  try {
    console.log('\n  graph editor (headless Chromium, real webview bundle)');

    // 500 nodes, cold: a fresh page whose first snapshot is the big network (worker start included).
    const text500 = bigNetworkText(500);
    // `rendered` reports ELK's placement; the page's data-drawn-ms the first complete drawing.
    const cold: number[] = [];
    const coldDrawn: number[] = [];
    for (let i = 0; i < 3; i++) {
      const host = await browser.open(text500);
      const first = host.probes[0];
      if (first) cold.push(first.ms);
      coldDrawn.push(Number(await host.page.evaluate('document.body.getAttribute("data-drawn-ms")')));
      await host.page.close();
    }
    // 2,000 nodes in collapsed groups (one box per tower), warm worker: a page showing a small network gets it.
    const text2000 = groupedNetworkText(2000);
    const groupedDrawn: number[] = [];
    const hg = await browser.open(bigNetworkText(20));
    for (let i = 0; i < 3; i++) {
      await timeRender(hg, documentSnapshot(bigNetworkText(20), 4000 + 2 * i, 'bench.nn').snapshot);
      groupedDrawn.push((await timeRender(hg, documentSnapshot(text2000, 4001 + 2 * i, 'bench.nn').snapshot)).drawn);
    }
    await hg.page.close();
    console.log(`  first render, 2,000 nodes with groups collapsed, first complete drawing: ${median(groupedDrawn).toFixed(0)} ms warm (median of ${groupedDrawn.length}); target < 1000 ms`);
    // 500 nodes, warm worker: a page showing a small network gets the 500-node one.
    const warm: number[] = [];
    const warmDrawn: number[] = [];
    const warmElk: number[] = [];
    const host = await browser.open(bigNetworkText(20));
    // No glide: the figure is the time until every node stands at its laid-out place.
    await host.page.emulateMedia({ reducedMotion: 'reduce' });
    for (let i = 0; i < 5; i++) {
      const small = documentSnapshot(bigNetworkText(20), 1000 + 2 * i, 'bench.nn').snapshot;
      await timeRender(host, small);
      const big = documentSnapshot(text500, 1001 + 2 * i, 'bench.nn').snapshot;
      const r = await timeRender(host, big);
      warm.push(r.total);
      warmDrawn.push(r.drawn);
      warmElk.push(r.layoutMs ?? NaN);
    }
    await host.page.close();
    console.log(`  layout + first render, 500 nodes, first complete drawing: ${median(coldDrawn).toFixed(0)} ms cold (fresh page, quick layout; median of ${coldDrawn.length}), ${median(warmDrawn).toFixed(0)} ms warm (median of ${warmDrawn.length}); target < 500 ms`);
    console.log(`  layout + first render, 500 nodes, until ELK's final places: ${median(cold).toFixed(0)} ms cold (worker start and ELK's first run included), ${median(warm).toFixed(0)} ms warm (ELK in the worker ${median(warmElk).toFixed(0)} ms of it)`);
    console.log(`  (machine load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores while measuring)`);

    // A property edit on 200 nodes: the host parses the new text, the view redraws what changed.
    let text200 = bigNetworkText(200);
    const h200 = await browser.open(text200);
    await h200.page.emulateMedia({ reducedMotion: 'reduce' });
    const hostSide: number[] = [];
    const viewSide: number[] = [];
    let relayouts = 0;
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      text200 = applyEdits(text200, setNodeProperty(text200, 't0_1', 'activation', i % 2 ? 'relu' : 'tanh'));
      const snap = documentSnapshot(text200, 2000 + i, 'bench.nn').snapshot;
      hostSide.push(performance.now() - t0);
      const r = await timeRender(h200, snap);
      viewSide.push(r.total);
      if (r.laidOut) relayouts++;
    }
    // And one that changes the structure (a new node → a new layout).
    const structural: number[] = [];
    for (let i = 0; i < 3; i++) {
      const grown = text200.replace('"nodes": [\n', `"nodes": [\n    { "id": "extra${i}", "type": "input", "units": 3 },\n`);
      structural.push((await timeRender(h200, documentSnapshot(grown, 3000 + 2 * i, 'bench.nn').snapshot)).total);
      await timeRender(h200, documentSnapshot(text200, 3001 + 2 * i, 'bench.nn').snapshot);
    }
    await h200.page.close();
    console.log(`  property edit, 200 nodes: view re-render ${median(viewSide).toFixed(1)} ms (median of ${viewSide.length}; ${relayouts} needed a new layout) + host edit and re-parse ${median(hostSide).toFixed(1)} ms; target < 50 ms`);
    console.log(`  structural edit (node added), 200 nodes: ${median(structural).toFixed(0)} ms including a new ELK layout`);
    await propertyEdit2000(browser);
  } finally {
    await browser.stop();
  }
}
