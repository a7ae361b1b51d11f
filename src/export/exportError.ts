/** A network (or one of its features) that a target format cannot express; the message is for the user. */
export class ExportError extends Error {
  /** The node the problem belongs to, when there is one. */
  readonly nodeId?: string;

  constructor(message: string, nodeId?: string) {
    super(message);
    this.name = 'ExportError';
    this.nodeId = nodeId;
  }
}
