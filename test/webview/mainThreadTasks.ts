/**
 * The page's main-thread tasks from a Chromium trace, each with its wall time and its CPU time.
 * On a shared, loaded machine a task's wall time is mostly time spent waiting for a core; its CPU
 * time (the trace's thread duration) is what it costs, close to what a quiet machine would show.
 * Each task says what ran in it (message handlers, animation-frame callbacks and the functions
 * they called, style, layout, paint, garbage collection), by CPU time.
 */
import type { Page } from 'playwright-core';

/** One main-thread task. */
export interface TaskCost {
  wallMs: number;
  cpuMs: number;
  /** When it started, in seconds from the first task traced. */
  atS: number;
  /** What ran in it, by CPU ms ("HandlePostMessage 21.0 > FunctionCall 20.8", "Layout 3.6"). */
  parts: string;
}

interface TraceEvent { name: string; cat: string; ph: string; pid: number; tid: number; ts: number; dur?: number; tdur?: number; args?: { name?: string; data?: { functionName?: string } } }

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.gc'];
/** The events that say what a task did (nested ones included: a FunctionCall inside a FireAnimationFrame). */
const PARTS = new Set(['HandlePostMessage', 'FireAnimationFrame', 'TimerFire', 'FunctionCall', 'EventDispatch', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'EvaluateScript', 'ResizeObserver']);

/** Starts tracing `page`; the function returned stops and gives the main-thread tasks, costliest (CPU) first. */
export async function traceMainThread(page: Page): Promise<() => Promise<TaskCost[]>> {
  const browser = page.context().browser();
  if (!browser) throw new Error('tracing needs the page\'s browser');
  await browser.startTracing(page, { categories: CATEGORIES });
  return async () => mainThreadTasks(JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] });
}

function mainThreadTasks(trace: { traceEvents: TraceEvent[] }): TaskCost[] {
  const events = trace.traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  const own = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  const tasks = own.filter((e) => e.name === 'RunTask' && e.cat.includes('devtools.timeline'));
  const parts = own.filter((e) => PARTS.has(e.name));
  const costs: TaskCost[] = [];
  let p = 0;
  const origin = tasks[0]?.ts ?? 0;
  for (const t of tasks) {
    const end = t.ts + (t.dur ?? 0);
    while (p < parts.length && parts[p].ts < t.ts) p++;
    const inside: string[] = [];
    const stack: number[] = [];
    for (let i = p; i < parts.length && parts[i].ts < end; i++) {
      const e = parts[i];
      while (stack.length && stack[stack.length - 1] <= e.ts) stack.pop();
      const cpu = (e.tdur ?? e.dur ?? 0) / 1000;
      if (cpu >= 1) inside.push(`${stack.length ? '> ' : ''}${e.name}${e.args?.data?.functionName ? ` ${e.args.data.functionName}()` : ''} ${cpu.toFixed(1)}`);
      stack.push(e.ts + (e.dur ?? 0));
    }
    costs.push({ atS: (t.ts - origin) / 1e6, wallMs: (t.dur ?? 0) / 1000, cpuMs: (t.tdur ?? t.dur ?? 0) / 1000, parts: inside.join(', ') });
  }
  return costs.sort((a, b) => b.cpuMs - a.cpuMs);
}
