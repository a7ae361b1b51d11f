/** A long chain for the readable-layout tests and screenshots: an input and n − 1 dense layers. */

/** The file text of a chain of `n` layers. */
export function chainText(n: number): string {
  const nodes: object[] = [{ id: 'x', type: 'input', units: 8 }];
  const edges: object[] = [];
  for (let i = 1; i < n; i++) {
    nodes.push({ id: `d${i}`, type: 'dense', units: 8, activation: i === n - 1 ? 'sigmoid' : 'relu' });
    edges.push({ from: i === 1 ? 'x' : `d${i - 1}`, to: `d${i}` });
  }
  return `{\n  "format": "nn/1",\n  "name": "A chain of ${n} layers",\n  "nodes": [\n${nodes.map((n) => `    ${JSON.stringify(n)}`).join(',\n')}\n  ],\n  "edges": [\n${edges.map((e) => `    ${JSON.stringify(e)}`).join(',\n')}\n  ]\n}\n`;
}
