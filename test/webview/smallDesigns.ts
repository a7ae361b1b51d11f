/** Small design texts that several Chromium suites open. */

/** An input, a relu layer and a sigmoid layer, the last not yet connected (2 → 3, then 1 unit). */
export const twoLayers = `{
  "format": "nn/1",
  "nodes": [
    { "id": "x", "type": "input", "units": 2 },
    { "id": "a", "type": "dense", "units": 3, "activation": "relu" },
    { "id": "b", "type": "dense", "units": 1, "activation": "sigmoid" }
  ],
  "edges": [
    { "from": "x", "to": "a" }
  ]
}
`;
