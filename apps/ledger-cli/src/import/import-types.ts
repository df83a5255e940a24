// What POST /imports and GET /imports/{id} answer (docs/import-template.md), as the CLI and the demo see it.

export interface ImportSource {
  /** The tracker, registry or spreadsheet the history comes from. */
  name: string;
  url?: string;
  /** YYYY-MM-DD: when the file was taken from the source. */
  retrievedOn: string;
}

export interface ImportRowError {
  /** Row as a spreadsheet numbers it (CSV: header = 1); JSON Lines: the line. 0: the file as a whole. */
  row: number;
  /** The template column at fault (or `file`). */
  field: string;
  reason: string;
}

export type ImportState =
  'validating' | 'rejected' | 'validated' | 'applying' | 'completed' | 'failed' | 'interrupted';

export interface ImportStatus {
  id: string;
  status: ImportState;
  dryRun: boolean;
  format: 'csv' | 'jsonl';
  source: ImportSource;
  principal: { id: string; role: string; name: string };
  /** SHA-256 of the file as received. */
  fileSha256?: string;
  bytesRead: number;
  /** Rows read and checked so far (target rows included). */
  rowsRead: number;
  /** Rows found valid (including those already in the ledger). */
  accepted: number;
  /** Rows found invalid: when any is, nothing is recorded. */
  rejected: number;
  /** Rows (of `accepted`) already in the ledger from an earlier import: not recorded again. */
  alreadyRecorded: number;
  /** Rows the apply phase has gone through (recorded or already there). */
  rowsApplied: number;
  /** Events recorded by this import (a pledge row and its target rows are one event). */
  recorded: number;
  /** Distinct pledges in the file. */
  pledges: number;
  /** The first errors (at most 1000), in row order. */
  errors: ImportRowError[];
  errorsTotal: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Why an import failed or was interrupted part-way (what was recorded stays recorded; re-run to finish). */
  failure?: string;
}
