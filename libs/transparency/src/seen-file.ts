import {
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { SeenCheckpoint } from './checkpoint-history';

/**
 * The local memory of a verifier or witness: every checkpoint it saw, in a JSON file it alone writes
 * (atomically: a temporary file renamed over the old one, so a crash never leaves half a file).
 */
export function readSeenFile(path: string): SeenCheckpoint[] {
  if (!existsSync(path)) return [];
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { checkpoints?: SeenCheckpoint[] };
  if (!Array.isArray(parsed.checkpoints)) throw new Error(`${path} is not a file of checkpoints seen`);
  return parsed.checkpoints;
}

export function writeSeenFile(path: string, checkpoints: readonly SeenCheckpoint[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify({ checkpoints }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, path);
}

/**
 * Writes a key file only if there is none (mode 0600): a hard link never replaces a file, so of two processes
 * generating at once both end up with the first one's key. Returns whether this call created it.
 */
export function createFileOnce(path: string, text: () => string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text(), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(temporary);
  }
}
