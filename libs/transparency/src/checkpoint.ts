import { HASH_SIZE, isTreeSize } from './merkle-hash';
import { TransparencyError } from './transparency-error';
import { NoteSignature, NoteSigner, NoteVerifier, openNote, signNote } from './signed-note';

// C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the note text of a signed tree head.
export interface Checkpoint {
  /** The log's identity, e.g. `ledger.example.org/pledges`; the log's key name should be the same. */
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Buffer;
  /** Opaque, non-empty lines after the root hash; their use is NOT RECOMMENDED by the spec. */
  readonly extensions: readonly string[];
}

export enum CheckpointErrorCode {
  MissingFinalNewline = 'missing-final-newline',
  TooFewLines = 'too-few-lines',
  InvalidOrigin = 'invalid-origin',
  InvalidTreeSize = 'invalid-tree-size',
  InvalidRootHash = 'invalid-root-hash',
  EmptyExtensionLine = 'empty-extension-line',
  /** The checkpoint is from another log than the one the caller expects. */
  UnexpectedOrigin = 'unexpected-origin',
}

export class CheckpointError extends TransparencyError<CheckpointErrorCode> {}

function fail(code: CheckpointErrorCode, message: string): never {
  throw new CheckpointError(code, message);
}

export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, treeSize, rootHash, extensions } = checkpoint;
  if (origin.length === 0 || origin.includes('\n'))
    fail(CheckpointErrorCode.InvalidOrigin, 'origin must be one non-empty line');
  if (!isTreeSize(treeSize))
    fail(CheckpointErrorCode.InvalidTreeSize, `tree size ${treeSize} is not a safe integer ≥ 0`);
  if (rootHash.length !== HASH_SIZE) {
    fail(CheckpointErrorCode.InvalidRootHash, `root hash has ${rootHash.length} bytes, not ${HASH_SIZE}`);
  }
  for (const line of extensions) {
    if (line.length === 0 || line.includes('\n')) {
      fail(CheckpointErrorCode.EmptyExtensionLine, 'extension lines must be single non-empty lines');
    }
  }
  return [origin, String(treeSize), rootHash.toString('base64'), ...extensions]
    .map((line) => `${line}\n`)
    .join('');
}

export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n'))
    fail(CheckpointErrorCode.MissingFinalNewline, 'checkpoint text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3)
    fail(CheckpointErrorCode.TooFewLines, `checkpoint has ${lines.length} lines, at least 3 needed`);
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin.length === 0) fail(CheckpointErrorCode.InvalidOrigin, 'line 1: origin is empty');
  // ASCII decimal, no leading zeroes unless the tree is empty.
  const treeSize = /^(0|[1-9][0-9]*)$/.test(sizeLine) ? Number(sizeLine) : NaN;
  if (!isTreeSize(treeSize)) {
    fail(CheckpointErrorCode.InvalidTreeSize, `line 2: ${JSON.stringify(sizeLine)} is not a tree size`);
  }
  const rootHash = Buffer.from(rootLine, 'base64');
  if (rootHash.length !== HASH_SIZE || rootHash.toString('base64') !== rootLine) {
    fail(
      CheckpointErrorCode.InvalidRootHash,
      `line 3: ${JSON.stringify(rootLine)} is not base64 of a SHA-256 hash`,
    );
  }
  const empty = extensions.findIndex((line) => line.length === 0);
  if (empty >= 0)
    fail(CheckpointErrorCode.EmptyExtensionLine, `line ${empty + 4}: extension lines must not be empty`);
  return { origin, treeSize, rootHash, extensions };
}

export function signCheckpoint(
  checkpoint: Checkpoint,
  signers: readonly NoteSigner[],
  extra: readonly NoteSignature[] = [],
): string {
  return signNote(formatCheckpoint(checkpoint), signers, extra);
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly verifiedBy: readonly NoteVerifier[];
  readonly signatures: readonly NoteSignature[];
}

/** Verifies the note's signatures (see openNote), then parses its text; `origin`, if given, must match. */
export function openCheckpoint(
  note: string | Buffer,
  verifiers: readonly NoteVerifier[],
  expected: { origin?: string } = {},
): OpenedCheckpoint {
  const { text, verifiedBy, signatures } = openNote(note, verifiers);
  const checkpoint = parseCheckpoint(text);
  if (expected.origin !== undefined && checkpoint.origin !== expected.origin) {
    fail(
      CheckpointErrorCode.UnexpectedOrigin,
      `checkpoint of ${checkpoint.origin}, expected ${expected.origin}`,
    );
  }
  return { checkpoint, verifiedBy, signatures };
}
