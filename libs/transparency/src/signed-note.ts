import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { TransparencyError } from './transparency-error';

// C2SP signed-note (c2sp.org/signed-note) with Ed25519 signatures, signature type 0x01. The key helpers take
// the signature type as a parameter so that other Ed25519 types (tlog-cosignature's 0x04) share them.
export const ED25519_TYPE = 0x01;
const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SIGNATURE_SIZE = 64;
const KEY_ID_SIZE = 4;
const SIGNATURE_PREFIX = '\u2014 '; // em dash, space
const SIGNER_KEY_PREFIX = 'PRIVATE+KEY+';
// The spec asks verifiers to accept at least 16 signatures and to bound them; Go's note package allows 100.
export const MAX_NOTE_SIGNATURES = 100;
// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410): Node imports private keys only in a container format.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export enum SignedNoteErrorCode {
  /** Not a note: no blank line before the signatures, a bad signature line, control characters, not UTF-8. */
  MalformedNote = 'malformed-note',
  InvalidKeyName = 'invalid-key-name',
  MalformedVerifierKey = 'malformed-verifier-key',
  MalformedSignerKey = 'malformed-signer-key',
  /** The note carries no signature by any of the keys the caller trusts. */
  UnverifiedNote = 'unverified-note',
  /** A signature by a trusted key (same name and key ID) does not verify: the whole note is rejected. */
  InvalidSignature = 'invalid-signature',
}

export class SignedNoteError extends TransparencyError<SignedNoteErrorCode> {}

export interface NoteVerifier {
  readonly name: string;
  /** The uint32 key ID, big-endian first four bytes of SHA-256(name || 0x0A || type || public key), type 0x01
   * for a note signer (0x04 for a witness's cosignature key). */
  readonly keyId: number;
  readonly publicKey: KeyObject;
}

export interface NoteSigner extends NoteVerifier {
  readonly privateKey: KeyObject;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Buffer;
}

export interface OpenedNote {
  /** The signed text, with its final newline. */
  readonly text: string;
  /** The trusted keys whose signatures verified. */
  readonly verifiedBy: readonly NoteVerifier[];
  /** Every signature line, verified or not (e.g. witness cosignatures of unknown keys). */
  readonly signatures: readonly NoteSignature[];
}

function fail(code: SignedNoteErrorCode, message: string): never {
  throw new SignedNoteError(code, message);
}

/** Key names are non-empty and hold neither Unicode spaces nor '+'. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasForbiddenCharacter(name) && isWellFormedText(name);
}

function assertKeyName(name: string): void {
  if (!isValidKeyName(name)) {
    fail(
      SignedNoteErrorCode.InvalidKeyName,
      `key name ${JSON.stringify(name)} is empty or has a space or '+'`,
    );
  }
}

function hasForbiddenCharacter(text: string): boolean {
  // ASCII control characters other than newline are not allowed anywhere in a note.
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x0a) return true;
  }
  return false;
}

function isWellFormedText(text: string): boolean {
  // A lone surrogate cannot be encoded as UTF-8 and would not survive a round trip.
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

/** Standard base64 (RFC 4648 §4) in its one canonical spelling, or undefined. */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new TypeError('not an Ed25519 public key');
  }
  return Buffer.from(jwk.x, 'base64url');
}

export function ed25519PublicKey(raw: Buffer): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

export function ed25519PrivateKey(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** key ID = SHA-256(key name || 0x0A || type || 32-byte Ed25519 public key)[:4], as a big-endian uint32. */
export function noteKeyId(name: string, publicKey: Buffer, type: number = ED25519_TYPE): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update(Buffer.from([0x0a, type]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** `<name>+<hex key ID>+<base64(0x01 || public key)>`, the verifier key string of Go's note package. */
export function formatVerifierKey(
  verifier: Pick<NoteVerifier, 'name' | 'publicKey'>,
  type: number = ED25519_TYPE,
): string {
  assertKeyName(verifier.name);
  const raw = rawPublicKey(verifier.publicKey);
  const encoded = Buffer.concat([Buffer.from([type]), raw]).toString('base64');
  return `${verifier.name}+${keyIdHex(noteKeyId(verifier.name, raw, type))}+${encoded}`;
}

/** Splits `<name>+<hex key ID>+<base64(type || key)>`; the base64 may itself contain '+'. */
function splitKey(text: string, type: number): { name: string; keyId: number; key: Buffer } | undefined {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return undefined;
  const name = text.slice(0, first);
  const idHex = text.slice(first + 1, second);
  const key = decodeBase64(text.slice(second + 1));
  if (!isValidKeyName(name) || !/^[0-9a-fA-F]{8}$/.test(idHex) || !key) return undefined;
  if (key.length !== 1 + ED25519_PUBLIC_KEY_SIZE || key[0] !== type) return undefined;
  return { name, keyId: parseInt(idHex, 16), key: key.subarray(1) };
}

export function parseVerifierKey(vkey: string, type: number = ED25519_TYPE): NoteVerifier {
  const parts = splitKey(vkey, type);
  if (!parts) {
    fail(
      SignedNoteErrorCode.MalformedVerifierKey,
      `a verifier key is <name>+<8 hex digits>+<base64(0x${type.toString(16).padStart(2, '0')} || key)>`,
    );
  }
  if (noteKeyId(parts.name, parts.key, type) !== parts.keyId) {
    fail(
      SignedNoteErrorCode.MalformedVerifierKey,
      `verifier key ${parts.name}: the key ID does not match the key`,
    );
  }
  return { name: parts.name, keyId: parts.keyId, publicKey: ed25519PublicKey(parts.key) };
}

/** `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>`, the signer key string of Go's note package. */
export function parseSignerKey(skey: string, type: number = ED25519_TYPE): NoteSigner {
  const parts = skey.startsWith(SIGNER_KEY_PREFIX)
    ? splitKey(skey.slice(SIGNER_KEY_PREFIX.length), type)
    : undefined;
  if (!parts) {
    fail(
      SignedNoteErrorCode.MalformedSignerKey,
      `a signer key is PRIVATE+KEY+<name>+<8 hex digits>+<base64(0x${type.toString(16).padStart(2, '0')} || seed)>`,
    );
  }
  const privateKey = ed25519PrivateKey(parts.key);
  const publicKey = createPublicKey(privateKey);
  if (noteKeyId(parts.name, rawPublicKey(publicKey), type) !== parts.keyId) {
    fail(
      SignedNoteErrorCode.MalformedSignerKey,
      `signer key ${parts.name}: the key ID does not match the key`,
    );
  }
  return { name: parts.name, keyId: parts.keyId, publicKey, privateKey };
}

export function formatSignerKey(signer: NoteSigner, type: number = ED25519_TYPE): string {
  assertKeyName(signer.name);
  const jwk = signer.privateKey.export({ format: 'jwk' });
  if (typeof jwk.d !== 'string') throw new TypeError('not an Ed25519 private key');
  const seed = Buffer.from(jwk.d, 'base64url');
  const encoded = Buffer.concat([Buffer.from([type]), seed]).toString('base64');
  return `${SIGNER_KEY_PREFIX}${signer.name}+${keyIdHex(signer.keyId)}+${encoded}`;
}

export function noteSignerFromKeys(
  name: string,
  privateKey: KeyObject,
  type: number = ED25519_TYPE,
): NoteSigner {
  assertKeyName(name);
  const publicKey = createPublicKey(privateKey);
  return { name, keyId: noteKeyId(name, rawPublicKey(publicKey), type), publicKey, privateKey };
}

export function generateNoteSigner(name: string, type: number = ED25519_TYPE): NoteSigner {
  const { privateKey } = generateKeyPairSync('ed25519');
  return noteSignerFromKeys(name, privateKey, type);
}

function assertNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n'))
    fail(SignedNoteErrorCode.MalformedNote, 'note text must end in a newline');
  if (hasForbiddenCharacter(text)) {
    fail(SignedNoteErrorCode.MalformedNote, 'note text holds an ASCII control character other than newline');
  }
  if (!isWellFormedText(text)) fail(SignedNoteErrorCode.MalformedNote, 'note text is not valid UTF-8');
}

export function signatureLine(signature: NoteSignature): string {
  const keyId = Buffer.alloc(KEY_ID_SIZE);
  keyId.writeUInt32BE(signature.keyId, 0);
  return `${SIGNATURE_PREFIX}${signature.name} ${Buffer.concat([keyId, signature.signature]).toString('base64')}\n`;
}

/** Signs `text` (which ends in a newline) with each signer; extra signatures (e.g. cosignatures) are kept after. */
export function signNote(
  text: string,
  signers: readonly NoteSigner[],
  extra: readonly NoteSignature[] = [],
): string {
  assertNoteText(text);
  if (signers.length + extra.length === 0)
    fail(SignedNoteErrorCode.MalformedNote, 'a note needs a signature');
  const message = Buffer.from(text, 'utf8');
  const signatures = signers.map((signer) => {
    assertKeyName(signer.name);
    return { name: signer.name, keyId: signer.keyId, signature: sign(null, message, signer.privateKey) };
  });
  return `${text}\n${[...signatures, ...extra].map(signatureLine).join('')}`;
}

function parseSignatureLine(line: string, lineNumber: number): NoteSignature {
  const malformed: (why: string) => never = (why) =>
    fail(SignedNoteErrorCode.MalformedNote, `signature line ${lineNumber}: ${why}`);
  if (!line.startsWith(SIGNATURE_PREFIX)) malformed('does not start with an em dash and a space');
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) malformed('has no space between key name and signature');
  const name = rest.slice(0, space);
  if (!isValidKeyName(name)) malformed(`key name ${JSON.stringify(name)} is empty or has a space or '+'`);
  const bytes = decodeBase64(rest.slice(space + 1));
  if (!bytes || bytes.length <= KEY_ID_SIZE) malformed('signature is not base64 of a key ID and a signature');
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(KEY_ID_SIZE) };
}

/** Splits a note into its text and signature lines, checking the syntax only. */
export function parseNote(note: string | Buffer): { text: string; signatures: NoteSignature[] } {
  let content: string;
  if (Buffer.isBuffer(note)) {
    try {
      content = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
    } catch {
      fail(SignedNoteErrorCode.MalformedNote, 'note is not valid UTF-8');
    }
  } else {
    content = note;
  }
  if (!isWellFormedText(content)) fail(SignedNoteErrorCode.MalformedNote, 'note is not valid UTF-8');
  if (hasForbiddenCharacter(content)) {
    fail(SignedNoteErrorCode.MalformedNote, 'note holds an ASCII control character other than newline');
  }
  if (!content.endsWith('\n')) fail(SignedNoteErrorCode.MalformedNote, 'note does not end in a newline');
  // The text ends at the last blank line; everything after it is signatures.
  const blank = content.lastIndexOf('\n\n');
  if (blank < 0) fail(SignedNoteErrorCode.MalformedNote, 'note has no blank line before its signatures');
  const lines = content.slice(blank + 2, -1).split('\n');
  if (lines.length === 1 && lines[0] === '') fail(SignedNoteErrorCode.MalformedNote, 'note has no signature');
  if (lines.length > MAX_NOTE_SIGNATURES) {
    fail(SignedNoteErrorCode.MalformedNote, `note has more than ${MAX_NOTE_SIGNATURES} signatures`);
  }
  return {
    text: content.slice(0, blank + 1),
    signatures: lines.map((line, i) => parseSignatureLine(line, i + 1)),
  };
}

/**
 * Verifies a note against the keys the caller trusts. Signatures by other keys are ignored (they may be
 * witnesses, or a rotated key); a failing signature by a trusted key rejects the whole note; and at least
 * one trusted signature must verify.
 */
export function openNote(note: string | Buffer, verifiers: readonly NoteVerifier[]): OpenedNote {
  const { text, signatures } = parseNote(note);
  const message = Buffer.from(text, 'utf8');
  const verifiedBy: NoteVerifier[] = [];
  for (const signature of signatures) {
    const verifier = verifiers.find((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (!verifier) continue;
    const valid =
      signature.signature.length === ED25519_SIGNATURE_SIZE &&
      verify(null, message, verifier.publicKey, signature.signature);
    if (!valid) {
      fail(
        SignedNoteErrorCode.InvalidSignature,
        `the signature of ${verifier.name}+${keyIdHex(verifier.keyId)} does not verify`,
      );
    }
    if (!verifiedBy.includes(verifier)) verifiedBy.push(verifier);
  }
  if (verifiedBy.length === 0)
    fail(SignedNoteErrorCode.UnverifiedNote, 'the note has no signature by a trusted key');
  return { text, verifiedBy, signatures };
}
