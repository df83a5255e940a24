import { openCheckpoint, signCheckpoint } from './checkpoint';
import {
  cosignatureMessage,
  cosignNote,
  formatWitnessSignerKey,
  formatWitnessVerifierKey,
  generateWitnessSigner,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
  verifyCosignatures,
} from './cosignature';
import { formatVerifierKey, generateNoteSigner, parseNote, parseVerifierKey } from './signed-note';

// A real checkpoint of a public CT log (Tessera, arche2025h1 staging) as served with the cosignatures of four
// public witnesses, and those witnesses' published vkeys: a known answer from independent implementations.
// It also carries an RFC 6962 note signature (type 0x05) that parseNote must tolerate as an unknown key.
const ARCHE_NOTE = `arche2025h1.staging.ct.transparency.dev
1432088532
U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

— arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=
— arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=
— transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==
— witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==
— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
— witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==
`;
const ARCHE_LOG_KEY =
  'arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f';
const WITNESS_KEYS = [
  'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2',
  'witness.stagemole.eu+67f7aea0+BEqSG3yu9YrmcM3BHvQYTxwFj3uSWakQepafafpUqklv',
  'transparency.dev/DEV:witness-little-garden+d8042a87+BCtusOxINQNUTN5Oj8HObRkh2yHf/MwYaGX4CPdiVEPM',
  'witness1.smartit.nu/witness1+a48c820f+BPSFWg9G6KPiO7QPryYO5Xq4oYJJ+kAvLKLSimDhoxMO',
];
// POSIX seconds of the four cosignatures above (bytes 4..12 of each, big-endian).
const ARCHE_COSIGNED_AT = 1779573024;

const checkpoint = {
  origin: 'ledger.example/pledges',
  treeSize: 120,
  rootHash: Buffer.alloc(32, 7),
  extensions: [],
};

describe('C2SP tlog-cosignature v1', () => {
  describe('known answers', () => {
    it('verifies the cosignatures of four public witnesses on a real checkpoint, beside the log signature', () => {
      expect(openCheckpoint(ARCHE_NOTE, [parseVerifierKey(ARCHE_LOG_KEY)]).checkpoint.treeSize).toBe(
        1432088532,
      );
      const check = verifyCosignatures(ARCHE_NOTE, WITNESS_KEYS.map(parseWitnessVerifierKey));
      expect(check.invalid).toEqual([]);
      expect(check.cosigned.map((c) => [c.witness, c.timestamp]).sort()).toEqual(
        [
          ['remora.n621.de', ARCHE_COSIGNED_AT],
          ['transparency.dev/DEV:witness-little-garden', ARCHE_COSIGNED_AT],
          ['witness.stagemole.eu', ARCHE_COSIGNED_AT],
          ['witness1.smartit.nu/witness1', ARCHE_COSIGNED_AT],
        ].sort(),
      );
    });

    it('derives the key ID with type 0x04 (remora.n621.de+da77ade7), and a witness vkey round-trips', () => {
      const key = parseWitnessVerifierKey(WITNESS_KEYS[0]);
      expect(key.keyId).toBe(0xda77ade7);
      expect(formatWitnessVerifierKey(key)).toBe(WITNESS_KEYS[0]);
    });

    it('refuses a witness vkey as a log key and the other way round (the type byte differs)', () => {
      expect(() => parseVerifierKey(WITNESS_KEYS[0])).toThrow(/verifier key/);
      expect(() => parseWitnessVerifierKey(ARCHE_LOG_KEY)).toThrow(/verifier key/);
    });

    it('finds no cosignature when the checkpoint body was altered', () => {
      const altered = ARCHE_NOTE.replace('1432088532', '1432088533');
      const check = verifyCosignatures(altered, WITNESS_KEYS.map(parseWitnessVerifierKey));
      expect(check.cosigned).toEqual([]);
      expect(check.invalid).toHaveLength(4);
    });

    it('signs "cosignature/v1", the time line, then the whole checkpoint body', () => {
      expect(cosignatureMessage('o\n1\nAAAA\n', 1679315147).toString()).toBe(
        'cosignature/v1\ntime 1679315147\no\n1\nAAAA\n',
      );
    });
  });

  describe('sign and verify', () => {
    const log = generateNoteSigner('ledger.example/pledges');
    const witness = generateWitnessSigner('witness.example/w1');
    const signed = signCheckpoint(checkpoint, [log]);
    const at = new Date('2026-03-01T12:00:00.900Z');

    it('adds a cosignature line and keeps the log signature, which still verifies', () => {
      const cosigned = cosignNote(signed, witness, at);
      const { signatures } = parseNote(cosigned);
      expect(signatures.map((s) => s.name)).toEqual(['ledger.example/pledges', 'witness.example/w1']);
      expect(openCheckpoint(cosigned, [log]).checkpoint.treeSize).toBe(120);
      const check = verifyCosignatures(cosigned, [witness]);
      expect(check.cosigned).toEqual([
        { witness: 'witness.example/w1', keyId: witness.keyId, timestamp: Math.floor(at.getTime() / 1000) },
      ]);
      expect(check.invalid).toEqual([]);
    });

    it('replaces its own earlier cosignature rather than adding a second', () => {
      const twice = cosignNote(cosignNote(signed, witness, at), witness, new Date(at.getTime() + 60_000));
      expect(parseNote(twice).signatures).toHaveLength(2);
      expect(verifyCosignatures(twice, [witness]).cosigned[0].timestamp).toBe(
        Math.floor(at.getTime() / 1000) + 60,
      );
    });

    it('ignores cosignatures by keys it was not given (another witness, or one key under another name)', () => {
      const other = generateWitnessSigner('witness.example/w2');
      const cosigned = cosignNote(signed, other, at);
      expect(verifyCosignatures(cosigned, [witness])).toMatchObject({ cosigned: [], invalid: [] });
      const renamed = parseWitnessVerifierKey(
        formatWitnessVerifierKey({ name: 'witness.example/w1', publicKey: other.publicKey }),
      );
      expect(verifyCosignatures(cosigned, [renamed])).toMatchObject({ cosigned: [], invalid: [] });
    });

    it('does not take a log signature for a cosignature, nor a cosignature for the log signature', () => {
      const asLogKey = parseVerifierKey(formatVerifierKey(witness));
      const cosigned = cosignNote(signed, witness, at);
      expect(() => openCheckpoint(cosigned, [asLogKey])).toThrow(/no signature by a trusted key/);
      expect(verifyCosignatures(signed, [witness]).cosigned).toEqual([]);
    });

    it('names an altered timestamp and an altered body as invalid cosignatures', () => {
      const cosigned = cosignNote(signed, witness, at);
      const line = cosigned.trimEnd().split('\n').at(-1)!;
      const bytes = Buffer.from(line.split(' ')[2], 'base64');
      bytes.writeBigUInt64BE(bytes.readBigUInt64BE(4) + 1n, 4);
      const restamped = cosigned.replace(line, `— witness.example/w1 ${bytes.toString('base64')}`);
      expect(verifyCosignatures(restamped, [witness]).invalid).toEqual([
        { witness: 'witness.example/w1', reason: expect.stringMatching(/does not verify/) },
      ]);
      const resized = cosigned.replace('\n120\n', '\n121\n');
      expect(verifyCosignatures(resized, [witness]).invalid).toHaveLength(1);
    });

    it('keeps the witness key in the C2SP signer key format with type 0x04', () => {
      const text = formatWitnessSignerKey(witness);
      expect(text).toMatch(/^PRIVATE\+KEY\+witness\.example\/w1\+[0-9a-f]{8}\+B[A-P]/);
      const back = parseWitnessSignerKey(text);
      expect(back.keyId).toBe(witness.keyId);
      expect(formatWitnessVerifierKey(back)).toBe(formatWitnessVerifierKey(witness));
    });
  });
});
