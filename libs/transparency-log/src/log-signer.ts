import { readFileSync } from 'node:fs';
import {
  createFileOnce,
  formatSignerKey,
  generateNoteSigner,
  NoteSigner,
  parseSignerKey,
} from '@ledger/transparency';

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
  const generated = createFileOnce(
    source.file,
    () => `${formatSignerKey(generateNoteSigner(source.name))}\n`,
  );
  return { signer: parseSignerKey(readFileSync(source.file, 'utf8').trim()), generated };
}
