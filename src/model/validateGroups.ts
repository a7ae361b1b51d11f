/**
 * checkGroups: what the `groups` list refers to. A group id is unique among groups and is not a
 * node's id (the editor draws a collapsed group as a box with that id); a node belongs to at most
 * one group; members name nodes of the file. Each problem is a warning: groups only change how
 * the editor draws the graph, never what trains or is exported. Every lookup uses Maps and Sets, so an id such as
 * `__proto__` or `constructor` is an ordinary name.
 */
import type { Node } from 'jsonc-parser';
import type { ParsedNetwork } from './parse';
import { propValue, type Reporter } from './fieldReaders';

/** Adds the diagnostics of the file's groups to `r` (`known`: the ids of the nodes read). */
export function checkGroups(parsed: ParsedNetwork, known: ReadonlySet<string>, r: Reporter): void {
  const list = propValue(parsed.root, 'groups');
  if (!list || list.type !== 'array') return;
  const groupAt = new Map<string, Node>();
  const memberOf = new Map<string, string>();
  const someIds = [...known].slice(0, 12).join(', ');
  const line = (n: Node): number => parsed.lines.range(n.offset, 0).start.line + 1;
  for (const obj of list.children ?? []) {
    const idNode = propValue(obj, 'id');
    if (!idNode || typeof idNode.value !== 'string') continue;
    const id = idNode.value;
    const earlier = groupAt.get(id);
    if (earlier) {
      r.add('warning', 'duplicate-group-id', `two groups are called '${id}' (the other on line ${line(earlier)}); group ids must be unique, so rename one of them`, idNode);
      continue;
    }
    groupAt.set(id, idNode);
    if (known.has(id) || parsed.brokenIds.has(id)) {
      r.add('warning', 'group-id-clash', `group '${id}' has the id of a node; a group needs an id of its own, so rename the group (for example '${id}_group')`, idNode);
    }
    const members = propValue(obj, 'nodes');
    const seenHere = new Set<string>();
    for (const m of members?.type === 'array' ? members.children ?? [] : []) {
      if (m.type !== 'string') continue;
      const member = String(m.value);
      if (seenHere.has(member)) {
        r.add('warning', 'duplicate-group-member', `group '${id}' lists '${member}' twice; remove the copy`, m);
        continue;
      }
      seenHere.add(member);
      if (!known.has(member)) {
        if (parsed.brokenIds.has(member)) continue; // The broken node has its own error.
        r.add('warning', 'unknown-group-member',
          `group '${id}' names '${member}', which is not a node (nodes: ${someIds || 'none yet'}${known.size > 12 ? ', …' : ''}); remove it from the group or fix the id`, m);
        continue;
      }
      const other = memberOf.get(member);
      if (other !== undefined) {
        r.add('warning', 'group-overlap', `node '${member}' is in group '${other}' and in group '${id}'; a node belongs to one group at most, so remove it from one of them`, m, member);
        continue;
      }
      memberOf.set(member, id);
    }
  }
}
