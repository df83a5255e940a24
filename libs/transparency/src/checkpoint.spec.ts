import { createHash } from 'node:crypto';
import {
  Checkpoint,
  CheckpointError,
  CheckpointErrorCode,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
} from './checkpoint';
import { emptyTreeHash } from './merkle-hash';
import { generateNoteSigner, SignedNoteError, SignedNoteErrorCode } from './signed-note';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof CheckpointError || error instanceof SignedNoteError) return error.code;
    throw error;
  }
  return undefined;
};

const root = createHash('sha256').update('some root').digest();

describe('tlog-checkpoint body', () => {
  it('parses the example of the C2SP specification', () => {
    const checkpoint = parseCheckpoint(
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.treeSize).toBe(20852163);
    expect(checkpoint.rootHash.toString('base64')).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(checkpoint.extensions).toEqual([]);
  });

  it('writes origin, decimal size, base64 root and extension lines, each ending in a newline', () => {
    const checkpoint: Checkpoint = {
      origin: 'ledger.example.org/log',
      treeSize: 0,
      rootHash: emptyTreeHash(),
      extensions: ['x y'],
    };
    const text = formatCheckpoint(checkpoint);
    expect(text).toBe('ledger.example.org/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\nx y\n');
    expect(parseCheckpoint(text)).toEqual(checkpoint);
  });

  it.each([
    ['ledger\n1\n' + root.toString('base64'), CheckpointErrorCode.MissingFinalNewline],
    ['ledger\n1\n', CheckpointErrorCode.TooFewLines],
    ['\n1\n' + root.toString('base64') + '\n', CheckpointErrorCode.InvalidOrigin],
    ['ledger\n01\n' + root.toString('base64') + '\n', CheckpointErrorCode.InvalidTreeSize],
    ['ledger\n-1\n' + root.toString('base64') + '\n', CheckpointErrorCode.InvalidTreeSize],
    ['ledger\n1e3\n' + root.toString('base64') + '\n', CheckpointErrorCode.InvalidTreeSize],
    ['ledger\n99999999999999999999\n' + root.toString('base64') + '\n', CheckpointErrorCode.InvalidTreeSize],
    ['ledger\n1\n' + root.subarray(1).toString('base64') + '\n', CheckpointErrorCode.InvalidRootHash],
    ['ledger\n1\n' + root.toString('hex') + '\n', CheckpointErrorCode.InvalidRootHash],
    ['ledger\n1\n' + root.toString('base64') + '\n\nextension\n', CheckpointErrorCode.EmptyExtensionLine],
  ])('names what is wrong with %j', (text, code) => {
    expect(codeOf(() => parseCheckpoint(text))).toBe(code);
  });

  it('throws a CheckpointError that says what it is', () => {
    const error = (() => {
      try {
        parseCheckpoint('');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error).toMatchObject({ name: 'CheckpointError', code: CheckpointErrorCode.MissingFinalNewline });
  });

  it('refuses to write a checkpoint it could not read back', () => {
    const valid: Checkpoint = { origin: 'ledger', treeSize: 1, rootHash: root, extensions: [] };
    expect(codeOf(() => formatCheckpoint({ ...valid, origin: '' }))).toBe(CheckpointErrorCode.InvalidOrigin);
    expect(codeOf(() => formatCheckpoint({ ...valid, treeSize: 1.5 }))).toBe(
      CheckpointErrorCode.InvalidTreeSize,
    );
    expect(codeOf(() => formatCheckpoint({ ...valid, rootHash: root.subarray(2) }))).toBe(
      CheckpointErrorCode.InvalidRootHash,
    );
    expect(codeOf(() => formatCheckpoint({ ...valid, extensions: [''] }))).toBe(
      CheckpointErrorCode.EmptyExtensionLine,
    );
  });
});

describe('signed checkpoints', () => {
  const log = generateNoteSigner('ledger.example.org/log');
  const checkpoint: Checkpoint = { origin: log.name, treeSize: 42, rootHash: root, extensions: [] };

  it('round-trips through a signed note', () => {
    const note = signCheckpoint(checkpoint, [log]);
    expect(note.startsWith(formatCheckpoint(checkpoint) + '\n\u2014 ledger.example.org/log ')).toBe(true);
    const opened = openCheckpoint(note, [log], { origin: log.name });
    expect(opened.checkpoint).toEqual(checkpoint);
    expect(opened.verifiedBy).toEqual([log]);
  });

  it('refuses a checkpoint of another log, or one whose size was changed', () => {
    const note = signCheckpoint(checkpoint, [log]);
    expect(codeOf(() => openCheckpoint(note, [log], { origin: 'other.example/log' }))).toBe(
      CheckpointErrorCode.UnexpectedOrigin,
    );
    expect(codeOf(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), [log]))).toBe(
      SignedNoteErrorCode.InvalidSignature,
    );
    expect(codeOf(() => openCheckpoint(note, [generateNoteSigner(log.name)]))).toBe(
      SignedNoteErrorCode.UnverifiedNote,
    );
  });
});
