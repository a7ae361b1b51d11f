/**
 * Rules of a node that span several of its fields, applied after each field has been read:
 * `oneOf` (an input has `units` or a `shape`, never both, never neither) and the values that
 * follow from others (an input's `units` is the product of its shape).
 */
import type { FieldContext, Property, Reporter } from './fieldReaders';
import { firstLine } from './fieldReaders';
import { NODE_PROPERTIES, shapeSize } from './fieldRules';
import type { Node } from 'jsonc-parser';
import type { NodeType } from './types';

/**
 * Checks the cross-field rules of a node read as `values`; fills in what follows from them.
 * Returns false (after reporting) when the node cannot be used.
 */
export function completeNode(type: NodeType, values: Record<string, unknown>, obj: Node, props: Property[], ctx: FieldContext, r: Reporter): boolean {
  const oneOf = NODE_PROPERTIES[type].oneOf;
  if (oneOf) {
    const written = props.filter((p) => oneOf.includes(p.key));
    if (written.length === 0) {
      r.add('error', 'missing-field',
        `${ctx.owner}: give either ${oneOf.map((k) => `'${k}'`).join(' or ')}${type === 'input' ? ' (units: 64 for 64 features, or shape: [28, 28, 1] for 28×28 gray images)' : ''}`,
        firstLine(obj), ctx.nodeId);
      return false;
    }
    if (written.length > 1) {
      r.add('error', 'conflicting-fields',
        `${ctx.owner}: write only one of ${written.map((p) => `'${p.key}'`).join(' and ')}${type === 'input' ? '; with a shape, the units are its product, so remove "units"' : ''}`,
        written[1].keyNode, ctx.nodeId);
      return false;
    }
    if (!oneOf.some((k) => values[k] !== undefined)) return false;
  }
  if (type === 'input' && Array.isArray(values.shape)) values.units = shapeSize(values.shape as number[]);
  return true;
}
