import { createHash } from 'node:crypto';
import {
  formatSignerKey,
  formatVerifierKey,
  generateNoteSigner,
  noteKeyId,
  openNote,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  SignedNoteError,
  SignedNoteErrorCode,
} from './signed-note';

// The example of Go's golang.org/x/mod/sumdb/note package documentation: an independent implementation.
// Ed25519 is deterministic (RFC 8032), so signing the same text with the same key must give the same bytes.
const GO_SIGNER_KEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const codeOf = (run: () => unknown): SignedNoteErrorCode | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof SignedNoteError) return error.code;
    throw error;
  }
  return undefined;
};

describe('signed-note keys', () => {
  it('derives the key ID as SHA-256(name || 0x0A || 0x01 || public key)[:4]', () => {
    const publicKey = Buffer.from(GO_VERIFIER_KEY.split('+')[2], 'base64').subarray(1);
    const digest = createHash('sha256')
      .update(Buffer.concat([Buffer.from('PeterNeumann\n'), Buffer.from([1]), publicKey]))
      .digest();
    expect(digest.subarray(0, 4).toString('hex')).toBe('c74f20a3');
    expect(noteKeyId('PeterNeumann', publicKey)).toBe(0xc74f20a3);
  });

  it("reads and writes Go's verifier and signer key strings", () => {
    const signer = parseSignerKey(GO_SIGNER_KEY);
    expect(signer.name).toBe('PeterNeumann');
    expect(signer.keyId).toBe(0xc74f20a3);
    expect(formatSignerKey(signer)).toBe(GO_SIGNER_KEY);
    expect(formatVerifierKey(signer)).toBe(GO_VERIFIER_KEY);
    expect(formatVerifierKey(parseVerifierKey(GO_VERIFIER_KEY))).toBe(GO_VERIFIER_KEY);
  });

  it('refuses malformed keys', () => {
    const bad = [
      'PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // key ID of another key
      'PeterNeumann+c74f20a3+AhpctxcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // signature type 0x02
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T', // not canonical base64
      'PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // seven hex digits
      'Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', // space in the name
      '+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      'PeterNeumann',
    ];
    for (const key of bad)
      expect(codeOf(() => parseVerifierKey(key))).toBe(SignedNoteErrorCode.MalformedVerifierKey);
    expect(codeOf(() => parseSignerKey(GO_VERIFIER_KEY))).toBe(SignedNoteErrorCode.MalformedSignerKey);
    expect(codeOf(() => generateNoteSigner('a+b'))).toBe(SignedNoteErrorCode.InvalidKeyName);
    expect(codeOf(() => generateNoteSigner(''))).toBe(SignedNoteErrorCode.InvalidKeyName);
  });
});

describe('signing and opening notes', () => {
  it("signs exactly as Go's note package does, and opens Go's note", () => {
    expect(signNote(GO_TEXT, [parseSignerKey(GO_SIGNER_KEY)])).toBe(GO_NOTE);
    const opened = openNote(GO_NOTE, [parseVerifierKey(GO_VERIFIER_KEY)]);
    expect(opened.text).toBe(GO_TEXT);
    expect(opened.verifiedBy.map((v) => v.name)).toEqual(['PeterNeumann']);
    expect(openNote(Buffer.from(GO_NOTE, 'utf8'), [parseVerifierKey(GO_VERIFIER_KEY)]).text).toBe(GO_TEXT);
  });

  const log = generateNoteSigner('ledger.example.org/log');
  const witness = generateNoteSigner('witness.example.net');
  const text = 'ledger.example.org/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';

  it('round-trips a note with two signatures, each key verifying its own', () => {
    const note = signNote(text, [log, witness]);
    expect(openNote(note, [log]).verifiedBy).toEqual([log]);
    expect(openNote(note, [witness, log]).verifiedBy).toHaveLength(2);
    expect(parseNote(note).signatures.map((s) => s.name)).toEqual([log.name, witness.name]);
  });

  it('refuses a note signed by another key of the same name', () => {
    const impostor = generateNoteSigner(log.name);
    expect(codeOf(() => openNote(signNote(text, [impostor]), [log]))).toBe(
      SignedNoteErrorCode.UnverifiedNote,
    );
  });

  it('refuses a note with an altered body', () => {
    const note = signNote(text, [log]).replace('\n3\n', '\n4\n');
    expect(codeOf(() => openNote(note, [log]))).toBe(SignedNoteErrorCode.InvalidSignature);
  });

  it('refuses a note with an altered signature', () => {
    const note = signNote(text, [log]);
    const line = note.slice(text.length + 1);
    const encoded = line.slice(line.lastIndexOf(' ') + 1, -1);
    const bytes = Buffer.from(encoded, 'base64');
    bytes[10] ^= 0x40;
    const altered = `${text}\n${line.replace(encoded, bytes.toString('base64'))}`;
    expect(codeOf(() => openNote(altered, [log]))).toBe(SignedNoteErrorCode.InvalidSignature);
  });

  it('ignores signatures by unknown keys, but refuses a note signed by unknown keys only', () => {
    expect(openNote(signNote(text, [witness, log]), [log]).verifiedBy).toEqual([log]);
    expect(codeOf(() => openNote(signNote(text, [witness]), [log]))).toBe(SignedNoteErrorCode.UnverifiedNote);
    expect(codeOf(() => openNote(signNote(text, [log]), []))).toBe(SignedNoteErrorCode.UnverifiedNote);
  });

  it('refuses a failing signature by a trusted key even when another trusted one verifies', () => {
    const note = signNote(text, [log, witness]);
    // Past the key ID (the first 4 bytes, 6 base64 digits), so the line still names the witness's key.
    const forged = note.replace(
      /(\u2014 witness\.example\.net .{20})(.)/,
      (_m, head: string, c: string) => head + (c === 'A' ? 'B' : 'A'),
    );
    expect(codeOf(() => openNote(forged, [log, witness]))).toBe(SignedNoteErrorCode.InvalidSignature);
    expect(openNote(forged, [log]).verifiedBy).toEqual([log]);
  });

  it('keeps blank lines inside the text: the signatures start after the last one', () => {
    const withBlank = 'first\n\nsecond\n';
    expect(openNote(signNote(withBlank, [log]), [log]).text).toBe(withBlank);
  });

  it.each([
    ['no blank line', `${text}\u2014 x AAAA\n`],
    ['no final newline', signNote(text, [log]).slice(0, -1)],
    ['no signature', `${text}\n`],
    ['a hyphen for the em dash', signNote(text, [log]).replace('\u2014', '-')],
    ['a signature too short for a key ID', `${text}\n\u2014 ${log.name} AAAA\n`],
    ['a signature that is not base64', `${text}\n\u2014 ${log.name} !!!!\n`],
    ['a control character', signNote(text, [log]).replace('\n3\n', '\n3\t\n')],
    ['a carriage return', signNote(text, [log]).replace(/\n$/, '\r\n')],
  ])('refuses a note with %s as malformed', (_name, note) => {
    expect(codeOf(() => openNote(note, [log]))).toBe(SignedNoteErrorCode.MalformedNote);
  });

  it('refuses bytes that are not UTF-8 and text it cannot sign', () => {
    expect(codeOf(() => openNote(Buffer.from([0x61, 0x0a, 0x0a, 0xff, 0x0a]), [log]))).toBe(
      SignedNoteErrorCode.MalformedNote,
    );
    expect(codeOf(() => signNote('no newline', [log]))).toBe(SignedNoteErrorCode.MalformedNote);
    expect(codeOf(() => signNote('bell\u0007\n', [log]))).toBe(SignedNoteErrorCode.MalformedNote);
    expect(codeOf(() => signNote(text, []))).toBe(SignedNoteErrorCode.MalformedNote);
  });
});
