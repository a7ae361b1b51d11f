/** Which node a text position is in (the graph follows the text cursor). Pure: no vscode. */
import { parseNetwork } from '../model';

/** The id of the node whose object in `text` contains `offset` (the innermost), if any. */
export function nodeAtOffset(text: string, offset: number): string | undefined {
  const parsed = parseNetwork(text);
  let best: { id: string; length: number } | undefined;
  for (const [id, n] of parsed.nodeAst) {
    if (offset >= n.offset && offset <= n.offset + n.length && (!best || n.length < best.length)) best = { id, length: n.length };
  }
  return best?.id;
}
