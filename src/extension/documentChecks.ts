/**
 * One check per document version, shared by the Problems panel, the graph editors and the status
 * bar: each asks for the check of a document's current version and the first one computes it.
 * Files above the size limit (neuralCanvas.maxFileSizeMB) are not parsed at all: their check is a
 * single warning saying so, and the graph shows it instead of a network. Pure (no vscode import)
 * so unit tests can count the checks.
 */
import type { NetworkAnalysis } from '../model';
import type { Diagnostic } from '../model/types';
import type { DocumentSnapshot } from '../protocol';
import { documentSnapshot } from './documentSnapshot';

/** The code of the one diagnostic of a file above the size limit. */
export const FILE_TOO_LARGE = 'file-too-large';

/** The setting that holds the limit, in megabytes, and its default. */
export const MAX_FILE_SIZE_SETTING = 'neuralCanvas.maxFileSizeMB';
export const DEFAULT_MAX_FILE_SIZE_MB = 10;

/** What a check needs of a document (vscode.TextDocument has all of it, given its uri as a string). */
export interface CheckableDocument {
  /** A stable key of the document, e.g. its uri as a string. */
  key: string;
  version: number;
  fileName: string;
  getText(): string;
}

/** The check of one version: what the graph draws, every diagnostic, and the analysis when the network is sound. */
export interface DocumentCheck {
  snapshot: DocumentSnapshot;
  analysis?: NetworkAnalysis;
  /** True when the file is above the size limit and was not parsed. */
  tooLarge: boolean;
}

type Checker = (text: string, version: number, fileName: string) => { snapshot: DocumentSnapshot; analysis?: NetworkAnalysis };

/** The limit in bytes for a setting value in megabytes (the default for anything but a positive number). */
export function maxFileBytes(megabytes: unknown): number {
  const mb = typeof megabytes === 'number' && Number.isFinite(megabytes) && megabytes > 0 ? megabytes : DEFAULT_MAX_FILE_SIZE_MB;
  return Math.floor(mb * 1024 * 1024);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The UTF-8 size of `text` when it is above `limit` bytes, else undefined (cheap for the common case). */
function sizeAbove(text: string, limit: number): number | undefined {
  // A UTF-16 unit takes 1 to 3 UTF-8 bytes: most texts are decided without counting.
  if (text.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > limit ? bytes : undefined;
}

/** The check of a file above the size limit: no network, one warning at the top. */
function tooLargeCheck(version: number, fileName: string, bytes: number, limit: number): DocumentCheck {
  const diagnostic: Diagnostic = {
    severity: 'warning',
    code: FILE_TOO_LARGE,
    message: `${fileName} is ${megabytes(bytes)}, above the ${megabytes(limit)} limit, so Neural Canvas does not check it or draw its graph. Raise the setting "${MAX_FILE_SIZE_SETTING}" to open it.`,
    range: { offset: 0, length: 0, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  };
  return { snapshot: { version, fileName, diagnostics: [diagnostic], nodes: {} }, tooLarge: true };
}

/** The cache: the latest checked version of each open document. */
export class DocumentChecks {
  private readonly entries = new Map<string, { version: number; limit: number; check: DocumentCheck }>();
  /** How many times a text was actually checked (tests). */
  computed = 0;

  /** `limitBytes` is read on every request (the setting may change); `checker` is replaceable in tests. */
  constructor(private readonly limitBytes: () => number, private readonly checker: Checker = documentSnapshot) {}

  /** The check of the document's current version, computed at most once per version (and limit). */
  get(doc: CheckableDocument): DocumentCheck {
    const limit = this.limitBytes();
    const hit = this.entries.get(doc.key);
    if (hit && hit.version === doc.version && hit.limit === limit) return hit.check;
    this.computed++;
    const content = doc.getText();
    const bytes = sizeAbove(content, limit);
    const check: DocumentCheck = bytes !== undefined
      ? tooLargeCheck(doc.version, doc.fileName, bytes, limit)
      : { ...this.checker(content, doc.version, doc.fileName), tooLarge: false };
    this.entries.set(doc.key, { version: doc.version, limit, check });
    return check;
  }

  /** Drops a document's entry (it was closed). */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
