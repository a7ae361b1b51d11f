/**
 * readGroups: the top-level `groups` list, `{ "id", "label", "nodes", "collapsed" }` each. Only
 * the form is checked here (types, required fields, the id rule); what the members refer to is
 * checked with the rest of the graph (checkGroups in validateGroups.ts). Groups are a view aid:
 * training and exporters never read them.
 */
import type { Node } from 'jsonc-parser';
import type { NetworkDoc, NodeGroup } from './types';
import { isNodeId, NODE_ID_RULE } from './fieldRules';
import { describe, flag, listOf, propValue, readRecord, text, type FieldSpec, type Reader, type Reporter } from './fieldReaders';

/** A group's or member's id: text by the node id rule. */
const groupId: Reader<string> = (node, key, ctx, r) => {
  const v = text(node, key, ctx, r);
  if (v === undefined) return undefined;
  if (!isNodeId(v)) {
    r.add('error', 'invalid-id', `${ctx.owner}: ${key} ${JSON.stringify(v)} is not a valid id; use ${NODE_ID_RULE}`, node);
    return undefined;
  }
  return v;
};

const GROUP_FIELDS: Record<string, FieldSpec> = {
  id: { read: groupId, required: true },
  label: { read: text },
  nodes: { read: listOf(text, { nonEmpty: true }), required: true },
  collapsed: { read: flag },
};

/** Reads `groups` into `doc.groups`; a group too broken to read is reported and left out. */
export function readGroups(list: Node, doc: NetworkDoc, r: Reporter): void {
  if (list.type !== 'array') {
    r.add('error', 'wrong-type', `groups must be a list [ … ] of { "id": …, "label": …, "nodes": [ … ] }, not ${describe(list)}`, list);
    return;
  }
  const groups: NodeGroup[] = [];
  (list.children ?? []).forEach((obj, i) => {
    if (obj.type !== 'object') {
      r.add('error', 'wrong-type', `groups[${i}] must be an object { "id": "block1", "nodes": [ "conv1", "pool1" ] }, not ${describe(obj)}`, obj);
      return;
    }
    const idNode = propValue(obj, 'id');
    const owner = idNode?.type === 'string' ? `group '${String(idNode.value)}'` : `groups[${i}]`;
    const { values, complete } = readRecord(obj, GROUP_FIELDS, { owner }, r);
    if (complete) groups.push(values as unknown as NodeGroup);
  });
  doc.groups = groups;
}
