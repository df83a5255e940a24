import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatSignerKey, generateNoteSigner, NoteSigner, parseSignerKey } from '@ledger/transparency';

export interface LogSignerSource {
  /** The key itself (C2SP signer key `PRIVATE+KEY+<name>+<id>+<base64>`), e.g. from a secret store. */
  key?: string;
  /** Otherwise a file holding it, generated once (mode 0600) when absent. */
  file: string;
  /** The key name of a generated key: the log's origin. */
  name: string;
}

/**
 * The log's Ed25519 signing key: from configuration, or from a file generated on first use (development and
 * tests: under the ignored `.infra/`). Never logged; only its public half is published.
 */
export function loadLogSigner(source: LogSignerSource): { signer: NoteSigner; generated: boolean } {
  if (source.key) return { signer: parseSignerKey(source.key.trim()), generated: false };
  if (existsSync(source.file))
    return { signer: parseSignerKey(readFileSync(source.file, 'utf8').trim()), generated: false };
  const signer = generateNoteSigner(source.name);
  mkdirSync(dirname(source.file), { recursive: true, mode: 0o700 });
  const temporary = `${source.file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${formatSignerKey(signer)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // A hard link never replaces a file: of two processes generating at once, both end up with the first key.
    linkSync(temporary, source.file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return { signer: parseSignerKey(readFileSync(source.file, 'utf8').trim()), generated: true };
}
