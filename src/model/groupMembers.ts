/**
 * How node edits keep the `groups` list true: a removed node leaves its group (an emptied group
 * goes, and `groups` with it when it is left empty), and a renamed node is renamed there too.
 * Used by removeNode and renameNode inside their edit session, so each stays one undo step.
 */
import type { Node } from 'jsonc-parser';
import { propValue } from './fieldReaders';
import { removeItem, type EditSession } from './textEdits';

/** The `groups` array of the current text, when there is one. */
function groupsNode(s: EditSession): Node | undefined {
  const g = propValue(s.tree(), 'groups');
  return g?.type === 'array' ? g : undefined;
}

/** Member id nodes naming `id`, in every group (for a rename). */
export function groupMemberRefs(root: Node, id: string): Node[] {
  const groups = propValue(root, 'groups');
  const out: Node[] = [];
  for (const g of groups?.type === 'array' ? groups.children ?? [] : []) {
    const members = propValue(g, 'nodes');
    for (const m of members?.type === 'array' ? members.children ?? [] : []) if (m.type === 'string' && m.value === id) out.push(m);
  }
  return out;
}

/** Takes node `id` out of every group; a group left empty is removed, then `groups` if it is empty. */
export function dropFromGroups(s: EditSession, id: string): void {
  for (;;) {
    const groups = groupsNode(s);
    if (!groups) return;
    let changed = false;
    for (const [gi, g] of (groups.children ?? []).entries()) {
      const members = propValue(g, 'nodes');
      if (members?.type !== 'array') continue;
      const mi = (members.children ?? []).findIndex((m) => m.type === 'string' && m.value === id);
      if (mi < 0) continue;
      if ((members.children ?? []).length === 1) removeItem(s, groups, gi);
      else removeItem(s, members, mi);
      changed = true;
      break;
    }
    if (!changed) break;
  }
  const left = groupsNode(s);
  const root = s.tree();
  if (left && !(left.children ?? []).length && root) {
    const idx = (root.children ?? []).findIndex((p) => p.children?.[0]?.value === 'groups');
    if (idx >= 0) removeItem(s, root, idx);
  }
}

/** The ids of the file's groups (for new ids that must not clash). */
export function groupIds(root: Node | undefined): string[] {
  const groups = propValue(root, 'groups');
  return (groups?.type === 'array' ? groups.children ?? [] : [])
    .map((g) => propValue(g, 'id')?.value)
    .filter((v): v is string => typeof v === 'string');
}
