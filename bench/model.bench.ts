/**
 * Model-core figures: median time of parse + validate + analyze (checkNetwork) on a 1,000-node
 * design, on a 10,000-node chain and a 40,000-node design, and of one minimal edit. Printed, never asserted (benchmarks are not tests: docs/architecture.md).
 */
import { addNode, checkNetwork, setNodeProperty } from '../src/model';

/** A valid 1,000-node design: residual blocks (dense → activation → dropout → add) in a chain. */
export function bigDesign(nodes: number): string {
  const lines: string[] = ['    { "id": "x", "type": "input", "units": 32 }'];
  const edges: string[] = [];
  let prev = 'x';
  let i = 0;
  // Each block adds 4 nodes: d (dense relu), a (tanh), p (dropout), s (add of p and the block input).
  while (lines.length + 4 <= nodes) {
    const [d, a, p, s] = ['d', 'a', 'p', 's'].map((k) => `${k}${i}`);
    lines.push(
      `    { "id": "${d}", "type": "dense", "units": 32, "activation": "relu" }`,
      `    { "id": "${a}", "type": "activation", "activation": "tanh" }`,
      `    { "id": "${p}", "type": "dropout", "rate": 0.1 }`,
      `    { "id": "${s}", "type": "add" }`,
    );
    edges.push(`{ "from": "${prev}", "to": "${d}" }`, `{ "from": "${d}", "to": "${a}" }`, `{ "from": "${a}", "to": "${p}" }`,
      `{ "from": "${p}", "to": "${s}" }`, `{ "from": "${prev}", "to": "${s}" }`);
    prev = s;
    i++;
  }
  while (lines.length < nodes) {
    const id = `tail${lines.length}`;
    lines.push(`    { "id": "${id}", "type": "dense", "units": 8, "activation": "relu" }`);
    edges.push(`{ "from": "${prev}", "to": "${id}" }`);
    prev = id;
  }
  return `{\n  "format": "nn/1",\n  "name": "bench ${nodes}",\n  "nodes": [\n${lines.join(',\n')}\n  ],\n  "edges": [\n    ${edges.join(',\n    ')}\n  ],\n  "training": { "loss": "mse", "optimizer": { "type": "adam" }, "epochs": 1 }\n}\n`;
}

/** A chain of `nodes` nodes (an input, then dense relu layers), as `checkNetwork` sees a long design. */
export function chainDesign(nodes: number): string {
  const lines: string[] = ['    { "id": "x", "type": "input", "units": 4 }'];
  const edges: string[] = [];
  for (let i = 1; i < nodes; i++) {
    lines.push(`    { "id": "d${i}", "type": "dense", "units": 8, "activation": "relu" }`);
    edges.push(`{ "from": "${i === 1 ? 'x' : `d${i - 1}`}", "to": "d${i}" }`);
  }
  return `{\n  "format": "nn/1",\n  "nodes": [\n${lines.join(',\n')}\n  ],\n  "edges": [\n    ${edges.join(',\n    ')}\n  ]\n}\n`;
}

function median(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** Prints the model-core figures. */
export default async function run(): Promise<void> {
  const text = bigDesign(1000);
  const check = checkNetwork(text);
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !check.analysis) throw new Error(`bench design is invalid: ${errors[0]?.message}`);
  median(() => checkNetwork(text), 5); // warm-up
  const parse = median(() => checkNetwork(text), 21);
  const edit = median(() => setNodeProperty(text, 'd100', 'units', 64), 21);
  const add = median(() => addNode(text, { id: 'extra', type: 'dense', units: 4 }, { after: 'd100' }), 21);
  // The issue's target: checking 10^4 nodes stays under 1 s (a chain: one long path through the graph).
  const chain = chainDesign(10_000);
  const chainMs = median(() => checkNetwork(chain), 5);
  const big = bigDesign(40000);
  const bigMs = median(() => checkNetwork(big), 3);
  console.log('model core (median):');
  console.log(`  parse+validate+analyze, 1,000 nodes (${(text.length / 1024).toFixed(0)} KiB): ${parse.toFixed(1)} ms`);
  console.log(`  setNodeProperty on it: ${edit.toFixed(2)} ms; addNode after + connect: ${add.toFixed(2)} ms`);
  console.log(`  parse+validate+analyze, a 10,000-node chain (${(chain.length / 1024).toFixed(0)} KiB): ${chainMs.toFixed(0)} ms (target < 1,000 ms)`);
  console.log(`  parse+validate+analyze, 40,000 nodes (${(big.length / 1024 / 1024).toFixed(1)} MiB): ${bigMs.toFixed(0)} ms`);
}
