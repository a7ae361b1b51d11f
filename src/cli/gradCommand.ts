/** `nn grad FILE --input …`: ∂output/∂input and ∂output/∂parameter, the chain rule made visible. */
import { compileNetwork, gradients } from '../engine';
import { formatNumber } from '../model';
import type { CliCommand } from './cliIo';
import { guarded } from './guarded';
import { loadDesign } from './loadDesign';
import { loadTrained } from './loadTrained';
import { parseArgs } from './parseArgs';
import { parseInputRow } from './parseInputRow';

/** `nn grad`. */
export const gradCommand: CliCommand = {
  name: 'grad',
  summary: 'print ∂output/∂input and ∂output/∂parameter at one input (scalar output)',
  usage: `Usage: nn grad FILE --input V1,V2,… [--json]
       nn grad FILE --input x=-2 --input y=5 --input z=-4 [--json]

Runs the network forward on one input row, then backpropagates from its single scalar output
and prints the gradient with respect to every input feature and every weight and bias.
Example: for f = (x + y)·z at (−2, 5, −4) it prints ∂f/∂x = −4, ∂f/∂y = −4, ∂f/∂z = 3.
Weights as for nn predict (trained, else inline). Straight-through is used for step units.
`,
  run: (args, io) => guarded(io, async () => {
    const a = parseArgs(args, []);
    const d = loadDesign(a.file, io);
    // A network of gates only (no dense layer) has no weights to load.
    const hasDense = d.doc.nodes.some((n) => n.type === 'dense');
    const net = hasDense ? (await loadTrained(d)).net : compileNetwork(d.doc, d.analysis);
    const row = parseInputRow(a.inputs, net);
    const g = await gradients(net, row);
    const outId = net.outputIds[0];
    if (a.flags.has('--json')) {
      io.stdout(`${JSON.stringify({
        output: { id: outId, value: g.output },
        inputs: Object.fromEntries(g.inputs.map((i) => [i.id, Array.from(i.grad)])),
        params: Object.fromEntries([...g.params].map(([k, v]) => [k, { shape: v.shape, grad: Array.from(v.data) }])),
      })}\n`);
      return 0;
    }
    let off = 0;
    const at = net.inputIds.map((id, i) => { const v = Array.from(row.subarray(off, off + net.inputSizes[i])).map(formatNumber); off += net.inputSizes[i]; return `${id}=${v.join(',')}`; });
    io.stdout(`${outId} = ${formatNumber(g.output)} at ${at.join(', ')}\n`);
    for (const i of g.inputs) {
      if (i.grad.length === 1) io.stdout(`∂${outId}/∂${i.id} = ${formatNumber(i.grad[0])}\n`);
      else i.grad.forEach((v, j) => io.stdout(`∂${outId}/∂${i.id}[${j}] = ${formatNumber(v)}\n`));
    }
    for (const [key, v] of g.params) {
      const cols = v.shape.length === 2 ? v.shape[1] : v.data.length;
      const rows = v.shape.length === 2 ? v.shape[0] : 1;
      const lines = [];
      for (let r = 0; r < rows; r++) lines.push(Array.from(v.data.subarray(r * cols, (r + 1) * cols)).map(formatNumber).join(', '));
      io.stdout(`∂${outId}/∂${key} = ${rows > 1 ? `[[${lines.join('], [')}]]` : `[${lines[0]}]`}\n`);
    }
    return 0;
  }),
};
