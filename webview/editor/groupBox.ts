/** What a collapsed group's box shows (ViewNode.group); computed by groupView.ts, drawn by groupDrawing.ts. */
export interface GroupBox {
  members: string[];
  /** Shapes flowing into the group (from outside, or its own inputs'), e.g. "[28×28×1]". */
  inputs: string[];
  /** Shapes leaving it. */
  outputs: string[];
  /** Sum of the members' trainable parameters. */
  params: number;
}
