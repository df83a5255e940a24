import { sign, verify } from 'node:crypto';
import {
  formatSignerKey,
  formatVerifierKey,
  generateNoteSigner,
  NoteSignature,
  NoteSigner,
  NoteVerifier,
  parseNote,
  parseSignerKey,
  parseVerifierKey,
  signatureLine,
} from './signed-note';

// C2SP tlog-cosignature v1 (c2sp.org/tlog-cosignature), Ed25519: a witness's timestamped statement that, as of
// that time, this checkpoint is the largest consistent tree head it has seen of the log named by its origin.
export const COSIGNATURE_V1_TYPE = 0x04;
const TIMESTAMP_SIZE = 8;
const ED25519_SIGNATURE_SIZE = 64;
const MAX_TIMESTAMP = 2n ** 63n - 1n;

/**
 * A witness key is an Ed25519 note key whose key ID is derived with type 0x04, so a log key and a witness key
 * never match each other's signature lines. The message it signs is not the note text (see cosignatureMessage).
 */
export type WitnessSigner = NoteSigner;
export type WitnessVerifier = NoteVerifier;

export function generateWitnessSigner(name: string): WitnessSigner {
  return generateNoteSigner(name, COSIGNATURE_V1_TYPE);
}

/** `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x04 || seed)>`: the C2SP signer key format with the cosignature type. */
export function parseWitnessSignerKey(skey: string): WitnessSigner {
  return parseSignerKey(skey, COSIGNATURE_V1_TYPE);
}

export function formatWitnessSignerKey(signer: WitnessSigner): string {
  return formatSignerKey(signer, COSIGNATURE_V1_TYPE);
}

/** `<name>+<hex key ID>+<base64(0x04 || public key)>`, the vkey a log and its verifiers are configured with. */
export function formatWitnessVerifierKey(witness: Pick<WitnessVerifier, 'name' | 'publicKey'>): string {
  return formatVerifierKey(witness, COSIGNATURE_V1_TYPE);
}

export function parseWitnessVerifierKey(vkey: string): WitnessVerifier {
  return parseVerifierKey(vkey, COSIGNATURE_V1_TYPE);
}

/** "cosignature/v1\ntime <seconds>\n" followed by the whole note text (the checkpoint body). */
export function cosignatureMessage(text: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');
}

export interface Cosignature {
  readonly witness: string;
  readonly keyId: number;
  /** POSIX seconds at which the witness cosigned. */
  readonly timestamp: number;
}

/**
 * Adds the witness's cosignature to a signed checkpoint note, keeping the signatures already on it (the log's
 * first); an earlier cosignature by the same key is replaced. The caller has verified the note before.
 */
export function cosignNote(note: string, signer: WitnessSigner, time: Date = new Date()): string {
  const { text, signatures } = parseNote(note);
  const timestamp = Math.floor(time.getTime() / 1000);
  const stamp = Buffer.alloc(TIMESTAMP_SIZE);
  stamp.writeBigUInt64BE(BigInt(timestamp));
  const cosignature: NoteSignature = {
    name: signer.name,
    keyId: signer.keyId,
    signature: Buffer.concat([stamp, sign(null, cosignatureMessage(text, timestamp), signer.privateKey)]),
  };
  const others = signatures.filter((s) => s.name !== signer.name || s.keyId !== signer.keyId);
  return `${text}\n${[...others, cosignature].map(signatureLine).join('')}`;
}

/** A witness whose cosignature verified, and when it cosigned (POSIX seconds). */
export type VerifiedCosignature = Cosignature;
/** A witness's verifier key, as `parseWitnessVerifierKey` reads it. */
export type WitnessKey = WitnessVerifier;

export interface CosignatureCheck {
  /** The note text the cosignatures cover. */
  readonly text: string;
  /** One entry per configured witness whose cosignature verified. */
  readonly cosigned: readonly VerifiedCosignature[];
  /** Configured witnesses with a signature line that does not verify (a forgery, or a body changed after). */
  readonly invalid: readonly { witness: string; reason: string }[];
}

/**
 * Checks the note's cosignatures by the configured witnesses. Signature lines of other keys (the log's, unknown
 * witnesses') are ignored, as the signed-note spec asks; the caller decides how many witnesses it requires and
 * what an invalid line by a configured witness means (openNote would reject the whole note).
 */
export function verifyCosignatures(
  note: string | Buffer,
  witnesses: readonly WitnessKey[],
): CosignatureCheck {
  const { text, signatures } = parseNote(note);
  const cosigned: VerifiedCosignature[] = [];
  const invalid: { witness: string; reason: string }[] = [];
  for (const signature of signatures) {
    const witness = witnesses.find((w) => w.name === signature.name && w.keyId === signature.keyId);
    if (!witness || cosigned.some((c) => c.witness === witness.name)) continue;
    const reason = cosignatureProblem(text, witness, signature.signature);
    if (reason) invalid.push({ witness: witness.name, reason });
    else
      cosigned.push({
        witness: witness.name,
        keyId: witness.keyId,
        timestamp: timestampOf(signature.signature),
      });
  }
  return { text, cosigned, invalid };
}

function timestampOf(bytes: Buffer): number {
  return Number(bytes.readBigUInt64BE(0));
}

function cosignatureProblem(text: string, witness: WitnessKey, bytes: Buffer): string | undefined {
  if (bytes.length !== TIMESTAMP_SIZE + ED25519_SIGNATURE_SIZE)
    return `the cosignature has ${bytes.length} bytes, not a timestamp and an Ed25519 signature`;
  const stamp = bytes.readBigUInt64BE(0);
  if (stamp > MAX_TIMESTAMP || stamp > BigInt(Number.MAX_SAFE_INTEGER))
    return `the cosignature's timestamp ${stamp} is out of range`;
  const message = cosignatureMessage(text, Number(stamp));
  return verify(null, message, witness.publicKey, bytes.subarray(TIMESTAMP_SIZE))
    ? undefined
    : 'the cosignature does not verify over this checkpoint and timestamp';
}
