/**
 * The nn.Module part of the PyTorch script: one attribute per layer named after its node, and a
 * forward() that computes every node in topological order, one readable line each.
 */
import { ExportError } from '../exportError';
import type { ExportPlan, PlanActivation, PlanNode } from '../exportPlan';
import { pyDocText, pyFloat, pyInt, pyString } from '../pythonNames';

/** Python expression applying `a` to the expression `x`. */
export function torchActivation(a: PlanActivation | undefined, x: string): string {
  if (!a) return x;
  switch (a.name) {
    case 'linear': return x;
    case 'sigmoid': return `torch.sigmoid(${x})`;
    case 'tanh': return `torch.tanh(${x})`;
    case 'relu': return `F.relu(${x})`;
    case 'leaky_relu': return `F.leaky_relu(${x}, negative_slope=${pyFloat(a.alpha ?? 0.1)})`;
    case 'elu': return `F.elu(${x}, alpha=${pyFloat(a.alpha ?? 1)})`;
    case 'softmax': return `F.softmax(${x}, dim=1)`;
    case 'step': return `straight_through_step(${x})`;
    default: throw new ExportError(`Activation '${(a as { name: string }).name}' has no PyTorch equivalent in this exporter.`);
  }
}

/**
 * The class source. With `logitsOutput` the single output's activation is skipped when
 * forward(…, logits=True) is called, so the loss can take logits as our engine does.
 */
export function torchModuleSource(plan: ExportPlan, names: Map<string, string>, logitsOutput: boolean): string {
  const n = (id: string): string => names.get(id) as string;
  const init: string[] = [];
  const body: string[] = [];
  const out = plan.outputs[0];
  // The output's pre-activation gets its own local; make sure no node already has that name.
  const taken = new Set(names.values());
  let logitsVar = `${n(out.id)}_logits`;
  while (taken.has(logitsVar)) logitsVar += '_';
  let dropoutStream = 0;
  for (const p of plan.nodes) {
    const v = n(p.id);
    const ins = p.inputs.map(n);
    const logitsHere = logitsOutput && p === out;
    const applyAct = (pre: string): void => {
      if (logitsHere) {
        body.push(`${logitsVar} = ${pre}`);
        body.push(`${v} = ${torchActivation(p.activation, logitsVar)}`);
      } else {
        body.push(`${v} = ${torchActivation(p.activation, pre)}`);
      }
    };
    switch (p.node.type) {
      case 'input': break;
      case 'dense':
        init.push(`self.${v} = nn.Linear(${pyInt(fanIn(plan, p), 'a layer width')}, ${pyInt(p.units, 'a layer width')}${p.bias || p.node.useBias !== false ? '' : ', bias=False'})  # ${pyComment(p)}`);
        applyAct(`self.${v}(${ins[0]})`);
        break;
      case 'activation': applyAct(ins[0]); break;
      case 'dropout':
        if (p.node.rate > 0) dropoutStream++;
        init.push(`self.${v} = EngineDropout(p=${pyFloat(p.node.rate)}, stream=${dropoutStream})  # ${pyComment(p)}`);
        body.push(`${v} = self.${v}(${ins[0]})`);
        break;
      case 'add': body.push(`${v} = ${ins.join(' + ')}`); break;
      case 'multiply': body.push(`${v} = ${ins.join(' * ')}`); break;
      case 'concat': body.push(`${v} = torch.cat([${ins.join(', ')}], dim=1)`); break;
    }
  }
  const args = plan.inputs.map((p) => n(p.id)).join(', ');
  const ret = plan.outputs.length === 1
    ? (logitsOutput ? `${logitsVar} if logits else ${n(out.id)}` : n(out.id))
    : `(${plan.outputs.map((o) => n(o.id)).join(', ')})`;
  const lines = [
    `class Network(nn.Module):`,
    `    """${pyDocText(plan.name)}: ${plan.inputs.map((p) => `${pyDocText(p.id)} [${p.units}]`).join(', ')} -> ${plan.outputs.map((p) => `${pyDocText(p.id)} [${p.units}]`).join(', ')}."""`,
    ``,
    `    def __init__(self):`,
    `        super().__init__()`,
    ...(init.length ? init.map((l) => `        ${l}`) : ['        pass']),
    ``,
    `    def forward(self, ${args}, logits=False):`,
    ...body.map((l) => `        ${l}`),
    `        return ${ret}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Maps our weight names ("<node id>.weight") to the module's parameter names. */
export function torchParameterNames(plan: ExportPlan, names: Map<string, string>): string {
  const entries: string[] = [];
  for (const p of plan.nodes) {
    if (p.node.type !== 'dense') continue;
    entries.push(`    ${pyString(`${p.id}.weight`)}: ${pyString(`${names.get(p.id)}.weight`)},`);
    if (p.node.useBias !== false) entries.push(`    ${pyString(`${p.id}.bias`)}: ${pyString(`${names.get(p.id)}.bias`)},`);
  }
  return `PARAMETER_NAMES = {\n${entries.join('\n')}\n}\n`;
}

/** Hand-set weights from the file, as a dict of (shape, values); empty when there are none. */
export function inlineWeightsSource(plan: ExportPlan): string {
  const entries: string[] = [];
  for (const p of plan.nodes) {
    if (p.weightSource !== 'inline' || !p.weight) continue;
    entries.push(`    ${pyString(`${p.id}.weight`)}: (${JSON.stringify(p.weight.shape)}, [${Array.from(p.weight.data, pyFloat).join(', ')}]),`);
    if (p.bias) entries.push(`    ${pyString(`${p.id}.bias`)}: (${JSON.stringify(p.bias.shape)}, [${Array.from(p.bias.data, pyFloat).join(', ')}]),`);
  }
  return entries.length ? `INLINE_WEIGHTS = {\n${entries.join('\n')}\n}\n` : 'INLINE_WEIGHTS = {}\n';
}

function fanIn(plan: ExportPlan, p: PlanNode): number {
  return (plan.byId.get(p.inputs[0]) as PlanNode).units;
}

/** The comment after a layer: its node id and label, as one line of inert text. */
function pyComment(p: PlanNode): string {
  return pyDocText(`node ${p.id}${p.node.label ? `: ${p.node.label}` : ''}`);
}
