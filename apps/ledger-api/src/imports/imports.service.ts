import { Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Collection, Db } from 'mongodb';
import {
  ActionCatalogue,
  type Actor,
  ImportRecordAssembler,
  importedPledgeId,
  type ImportRecord,
  type ImportRowError,
  parseImportRow,
  pledgeStreamId,
  type Principal,
} from '@ledger/domain';
import { LedgerConfig } from '@ledger/config';
import { currentDeadline, InjectLedgerDb, isDuplicateKeyError, runWithoutDeadline } from '@ledger/database';
import { ExpectedVersionConflictError, MongoEventStore } from '@ledger/event-store';
import { OutboxRelayService } from '@ledger/messaging';
import { ActorRepository, toActor } from '../actors/actor.repository';
import { ProblemException } from '../problem';
import { PledgeRepository } from '../pledges/pledge.repository';
import { type ImportFormat, readImportFile } from './import-file';
import { type ImportDirectory, type ImportPlanContext, planPledge } from './import-planner';

export type ImportState =
  'validating' | 'rejected' | 'validated' | 'applying' | 'completed' | 'failed' | 'interrupted';

export interface ImportSource {
  name: string;
  url?: string;
  retrievedOn: string;
}

/** One import as GET /imports/{id} answers it (and as the `imports` collection keeps it, under `_id`). */
export interface ImportView {
  id: string;
  status: ImportState;
  dryRun: boolean;
  format: ImportFormat;
  source: ImportSource;
  principal: { id: string; role: string; name: string };
  fileSha256?: string;
  bytesRead: number;
  rowsRead: number;
  accepted: number;
  rejected: number;
  alreadyRecorded: number;
  rowsApplied: number;
  recorded: number;
  pledges: number;
  errors: ImportRowError[];
  errorsTotal: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  failure?: string;
}

type ImportDocument = Omit<ImportView, 'id'> & { _id: string };

/** Errors an answer lists (all are counted). */
export const MAX_LISTED_ERRORS = 1000;
/** Errors kept while checking, before the first MAX_LISTED_ERRORS by row are chosen. */
const MAX_KEPT_ERRORS = 5 * MAX_LISTED_ERRORS;
/** Tries at recording a pledge that others write to meanwhile (about 15 s of waiting in all). */
const MAX_APPLY_ATTEMPTS = 10;

interface PledgeGroup {
  ref: string;
  records: ImportRecord[];
  rows: number;
}

interface PassTotals {
  rowsRead: number;
  accepted: number;
  rejected: number;
  alreadyRecorded: number;
  rowsApplied: number;
  recorded: number;
  pledges: number;
  errors: ImportRowError[];
  errorsTotal: number;
}

/**
 * Bulk import (docs/import-template.md): the upload is spooled to disk as it arrives (never held in memory),
 * checked as a whole with the ledger's own rules, and only if every row is good recorded, pledge by pledge,
 * through the event store (same hash chain, outbox and relay as any write). Progress is kept in the `imports`
 * collection by id, so any API instance answers GET /imports/{id}.
 */
@Injectable()
export class ImportsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Imports');
  private readonly imports: Collection<ImportDocument>;
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @InjectLedgerDb() db: Db,
    private readonly store: MongoEventStore,
    private readonly pledges: PledgeRepository,
    private readonly catalogue: ActionCatalogue,
    private readonly actors: ActorRepository,
    private readonly config: LedgerConfig,
    @Optional() private readonly relay?: OutboxRelayService,
  ) {
    this.imports = db.collection<ImportDocument>('imports');
  }

  /** This instance's spool folder: `<IMPORT_SPOOL_DIR>/<pid>-<instance>`. */
  private readonly instance = randomUUID().slice(0, 8);

  private get spoolDir(): string {
    const root = this.config.IMPORT_SPOOL_DIR ?? join(tmpdir(), 'ledger-imports');
    return join(root, `${process.pid}-${this.instance}`);
  }

  /**
   * Removes the spool folders of instances that are gone (an import interrupted by a crash leaves its file):
   * those of processes no longer running, and those of this process's pid that no live instance here owns
   * (an earlier life of a restarted container, whose pid is the same).
   */
  async onModuleInit(): Promise<void> {
    LIVE_INSTANCES.add(this.instance);
    const root = dirname(this.spoolDir);
    const entries = await readdir(root).catch(() => [] as string[]);
    const gone = (name: string) => {
      const match = /^(\d+)-([0-9a-f]{8})$/.exec(name);
      if (!match) return false;
      const pid = Number(match[1]);
      return pid === process.pid ? !LIVE_INSTANCES.has(match[2]) : !isRunning(pid);
    };
    await Promise.all(
      entries
        .filter(gone)
        .map((name) => rm(join(root, name), { recursive: true, force: true }).catch(() => undefined)),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
    LIVE_INSTANCES.delete(this.instance);
    await rm(this.spoolDir, { recursive: true, force: true }).catch(() => undefined);
  }

  /**
   * Receives, checks and (unless `dryRun`) starts recording an import. Answers once the file is checked:
   * 422 listing every bad row (nothing recorded), 200 for a dry run, 202 while the recording goes on.
   */
  async start(
    principal: Principal,
    format: ImportFormat,
    source: ImportSource,
    dryRun: boolean,
    body: Readable,
    chosenId?: string,
  ): Promise<{ status: 200 | 202; view: ImportView }> {
    if (this.active >= this.config.IMPORT_MAX_CONCURRENT) {
      body.resume();
      throw new ProblemException(
        503,
        'imports-busy',
        'Too many imports at once',
        `This server receives, checks or records at most ${this.config.IMPORT_MAX_CONCURRENT} imports at once (IMPORT_MAX_CONCURRENT); nothing was recorded. Send the file again later.`,
      );
    }
    // Counted from here until its recording ends (`apply`), or until it is answered if nothing is recorded.
    this.active += 1;
    const slot = { handedOver: false };
    try {
      return await this.begin(principal, format, source, dryRun, body, slot, chosenId);
    } finally {
      if (!slot.handedOver) this.active -= 1;
    }
  }

  /** Imports of this process received, checked or being recorded now (IMPORT_MAX_CONCURRENT at most). */
  private active = 0;

  private async begin(
    principal: Principal,
    format: ImportFormat,
    source: ImportSource,
    dryRun: boolean,
    body: Readable,
    /** Set once the recording has the import: it then deletes the spool file and frees the place in `active`. */
    slot: { handedOver: boolean },
    chosenId?: string,
  ): Promise<{ status: 200 | 202; view: ImportView }> {
    const id = chosenId?.toLowerCase() ?? randomUUID();
    const now = new Date();
    // The check reads many pledges at once on behalf of this request, each read listening to its deadline.
    const deadline = currentDeadline();
    if (deadline) setMaxListeners(4 * this.config.IMPORT_CONCURRENCY + 16, deadline);
    const doc: ImportDocument = {
      _id: id,
      status: 'validating',
      dryRun,
      format,
      source,
      principal: { id: principal.id, role: principal.role, name: principal.name },
      bytesRead: 0,
      rowsRead: 0,
      accepted: 0,
      rejected: 0,
      alreadyRecorded: 0,
      rowsApplied: 0,
      recorded: 0,
      pledges: 0,
      errors: [],
      errorsTotal: 0,
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    try {
      await this.imports.insertOne(doc);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      body.resume();
      throw new ProblemException(
        409,
        'import-exists',
        'This import id is taken',
        `There is already an import ${id}; choose a new id (or none) for a new import.`,
        { 'invalid-params': [{ name: 'id', reason: 'already used' }] },
      );
    }
    const dir = this.spoolDir;
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${id}.${format}`);
    try {
      // An upload that pauses is alive as long as its request is: the heartbeat keeps it from looking stale.
      let bytesRead = 0;
      const stopHeartbeat = this.heartbeat(id, () => ({ bytesRead }));
      const received = await this.spool(body, path, (bytes) => {
        bytesRead = bytes;
        this.progress(id, { bytesRead: bytes });
      }).finally(stopHeartbeat);
      await this.save(id, { bytesRead: received.bytes, fileSha256: received.sha256 });
      const ctx = await this.planContext(id, source, principal);
      const checked = await this.pass(id, path, format, ctx, now, 'check');
      const counts = { ...checked, errors: firstErrors(checked.errors) };
      if (checked.errorsTotal > 0) {
        await this.finish(id, 'rejected', counts);
        const view = await this.view(id);
        throw new ProblemException(
          422,
          'import-rejected',
          'The file has rows the ledger cannot take',
          `${checked.errorsTotal} problem(s) in ${checked.rejected} of ${checked.rowsRead} rows; nothing was recorded. Fix them and send the whole file again.`,
          {
            'invalid-params': counts.errors.map((e) => ({ name: e.field, reason: e.reason, row: e.row })),
            importId: id,
            import: view,
          },
        );
      }
      if (dryRun || checked.accepted === checked.alreadyRecorded) {
        // Nothing to record: a dry run, or every row is in the ledger already (a re-import).
        await this.finish(id, dryRun ? 'validated' : 'completed', {
          ...counts,
          rowsApplied: dryRun ? 0 : checked.accepted,
        });
        return { status: 200, view: await this.view(id) };
      }
      await this.save(id, { ...counts, status: 'applying' });
      slot.handedOver = true;
      this.inBackground(() => this.apply(id, path, format, ctx, now));
      return { status: 202, view: await this.view(id) };
    } catch (error) {
      // A file refused (too large, empty, cut off, bad rows) or a failure: the import says so for good.
      const refused = error instanceof ProblemException;
      await this.finish(id, refused ? 'rejected' : 'failed', {
        failure: refused ? error.problem.detail : (error as Error).message,
      }).catch(() => undefined);
      throw error;
    } finally {
      // Handed over, the spool file is the recording's to delete.
      if (!slot.handedOver) await unlink(path).catch(() => undefined);
    }
  }

  async find(id: string, principal: Principal): Promise<ImportView | null> {
    const doc = await this.imports.findOne({ _id: id });
    // Someone else's import is not found (its rows and errors are that principal's business until recorded).
    if (!doc || (principal.role !== 'admin' && doc.principal.id !== principal.id)) return null;
    return viewOf(doc, this.config.IMPORT_STALE_AFTER_MS);
  }

  private async view(id: string): Promise<ImportView> {
    return viewOf((await this.imports.findOne({ _id: id }))!, this.config.IMPORT_STALE_AFTER_MS);
  }

  // ---- receiving -----------------------------------------------------------------------------------

  /** Streams the body to `path`, counting and hashing it; past IMPORT_MAX_BYTES it stops with 413. */
  private async spool(
    body: Readable,
    path: string,
    progress: (bytes: number) => void,
  ): Promise<{ bytes: number; sha256: string }> {
    const limit = this.config.IMPORT_MAX_BYTES;
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length;
        if (bytes > limit) return callback(new FileTooLargeError(limit));
        hash.update(chunk);
        progress(bytes);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(path));
    } catch (error) {
      if (error instanceof FileTooLargeError) {
        body.resume();
        throw new ProblemException(
          413,
          'payload-too-large',
          'The file is larger than the limit',
          `An import file may be at most ${limit} bytes (IMPORT_MAX_BYTES); split it into several files by pledge.`,
        );
      }
      throw new ProblemException(
        400,
        'upload-incomplete',
        'The file did not arrive whole',
        (error as Error).message,
      );
    }
    if (bytes === 0)
      throw new ProblemException(
        400,
        'empty-file',
        'The file is empty',
        'The body must be the import file.',
        {
          'invalid-params': [{ name: 'file', reason: 'no bytes were sent', row: 0 }],
        },
      );
    return { bytes, sha256: hash.digest('hex') };
  }

  // ---- checking and recording ----------------------------------------------------------------------

  private async planContext(
    id: string,
    source: ImportSource,
    importer: Principal,
  ): Promise<ImportPlanContext> {
    return { importId: id, source, importer, catalogue: this.catalogue, directory: this.directory() };
  }

  /** Registered organisations and verifiers by id, looked up once per import. */
  private directory(): ImportDirectory {
    const cache = new Map<string, Promise<{ kind: string; actor: Actor; name: string } | null>>();
    const lookup = (id: string) => {
      let found = cache.get(id);
      if (!found) {
        found = this.actors
          .findById(id)
          .then((record) =>
            record ? { kind: record.kind, actor: toActor(record), name: record.name } : null,
          );
        if (cache.size > 10_000) cache.clear();
        cache.set(id, found);
      }
      return found;
    };
    return {
      organisation: async (id) => {
        const found = await lookup(id);
        return found?.kind === 'organisation' ? found.actor : null;
      },
      verifier: async (id) => {
        const found = await lookup(id);
        return found?.kind === 'verifier' ? { id, name: found.name } : null;
      },
    };
  }

  /**
   * One pass over the spooled file, pledge by pledge (IMPORT_CONCURRENCY at once): `check` plans every
   * pledge's events and counts what is wrong; `apply` plans them again on the stream as it is now and
   * appends them. The same planning both times, so what was checked is what is recorded.
   */
  private async pass(
    id: string,
    path: string,
    format: ImportFormat,
    ctx: ImportPlanContext,
    now: Date,
    mode: 'check' | 'apply',
  ): Promise<PassTotals> {
    const totals: PassTotals = {
      rowsRead: 0,
      accepted: 0,
      rejected: 0,
      alreadyRecorded: 0,
      rowsApplied: 0,
      recorded: 0,
      pledges: 0,
      errors: [],
      errorsTotal: 0,
    };
    const badRows = new Set<number>();
    const fail = (error: ImportRowError) => {
      totals.errorsTotal += 1;
      if (totals.errors.length < MAX_KEPT_ERRORS) totals.errors.push(error);
      if (!badRows.has(error.row)) {
        badRows.add(error.row);
        totals.rejected += 1;
      }
    };
    const groups = this.groups(path, format, now, totals, fail);
    const stopHeartbeat = this.heartbeat(id, () => progressOf(totals, mode));
    let failure: Error | undefined;
    try {
      await pool(groups, this.config.IMPORT_CONCURRENCY, async (group) => {
        if (failure || this.stopping) return;
        totals.pledges += 1;
        const pledgeId = importedPledgeId(
          ctx.source.name,
          group.ref,
          // An organisation's references name pledges in its own space (see importedPledgeId).
          ctx.importer.role === 'organisation' ? (ctx.importer.actor?.id ?? ctx.importer.id) : undefined,
        );
        try {
          if (mode === 'check') {
            const plan = await planPledge(pledgeId, group.records, await this.recorded(pledgeId), ctx);
            plan.errors.forEach(fail);
            totals.alreadyRecorded += plan.alreadyRecordedRows;
          } else {
            // Counted event by event: an import that fails half-way says what it did record.
            const already = await this.record(pledgeId, group, ctx, () => (totals.recorded += 1));
            totals.alreadyRecorded += already;
            totals.rowsApplied += group.rows;
          }
        } catch (error) {
          failure ??= error as Error;
        }
        this.progress(id, progressOf(totals, mode));
      });
    } finally {
      stopHeartbeat();
    }
    if (failure || this.stopping) {
      await this.save(id, progressOf(totals, mode)).catch(() => undefined);
      throw failure ?? new Error('the server stopped while the import was running');
    }
    // Rows the file's reading found bad are counted in rejected; every other row read is accepted.
    totals.accepted = totals.rowsRead - totals.rejected;
    totals.errors.sort((a, b) => a.row - b.row);
    return totals;
  }

  /** The file's records grouped by pledge, rows counted and template errors reported as they are read. */
  private async *groups(
    path: string,
    format: ImportFormat,
    now: Date,
    totals: PassTotals,
    fail: (error: ImportRowError) => void,
  ): AsyncGenerator<PledgeGroup> {
    const assembler = new ImportRecordAssembler();
    const unreadablePledges = new Set<string>();
    let group: PledgeGroup | undefined;
    const take = (record: ImportRecord | undefined): PledgeGroup | undefined => {
      // A record out of its pledge's place was reported as such; deciding it would only repeat the error.
      if (!record || record.misplaced || unreadablePledges.has(record.head.ref)) return undefined;
      if (group && group.ref === record.head.ref) {
        group.records.push(record);
        group.rows += 1 + record.targets.length;
        return undefined;
      }
      const done = group;
      group = { ref: record.head.ref, records: [record], rows: 1 + record.targets.length };
      return done;
    };
    for await (const item of readImportFile(path, format)) {
      if ('error' in item) {
        if (item.row > 0) totals.rowsRead += 1;
        fail(item.error);
        continue;
      }
      totals.rowsRead += 1;
      const parsed = parseImportRow(item.raw, item.row, now);
      if (parsed.errors) {
        parsed.errors.forEach(fail);
        // The rest of a pledge whose pledge row is unreadable is not decided (it would only fail for that).
        if (item.raw.kind === 'pledge' && typeof item.raw.pledgeId === 'string')
          unreadablePledges.add(item.raw.pledgeId.trim());
        const done = take(assembler.unreadable(item.raw));
        if (done) yield done;
        continue;
      }
      const { record, error } = assembler.push(parsed.row);
      if (error) fail(error);
      const done = take(record);
      if (done) yield done;
    }
    const before = take(assembler.flush());
    if (before) yield before;
    if (group) yield group;
  }

  private recorded(pledgeId: string) {
    return this.store.readStream(pledgeStreamId(pledgeId));
  }

  /**
   * Records one pledge's planned events in order. Another writer may append to the same pledge meanwhile:
   * the append then collides on its version and the pledge is planned again on what is now recorded (rows
   * already there are skipped by their hash). A rule that no longer holds stops the import. Answers the rows
   * found recorded already (by someone else).
   */
  private async record(
    pledgeId: string,
    group: PledgeGroup,
    ctx: ImportPlanContext,
    onRecorded: () => void,
  ): Promise<number> {
    // Rows this import recorded in an attempt that then collided: the next plan finds them recorded, but
    // they are this import's, not already recorded before it.
    let ownRows = 0;
    for (let attempt = 1; ; attempt++) {
      let rowsNow = 0;
      const plan = await planPledge(pledgeId, group.records, await this.recorded(pledgeId), ctx);
      if (plan.errors.length > 0) {
        const first = plan.errors[0];
        throw new NoLongerFitsError(
          `row ${first.row} (${first.field}) no longer fits the pledge as recorded now: ${first.reason}`,
        );
      }
      let version = plan.before.version;
      try {
        for (const planned of plan.events) {
          await this.pledges.append(
            pledgeId,
            version,
            planned.event,
            {
              principal: ctx.importer,
              correlationId: ctx.importId,
              causationId: `import:${ctx.importId}:row:${planned.record.head.row}`,
            },
            // No snapshot in the head cache: memory stays flat however many pledges a file holds.
            undefined,
            planned.occurredAt,
          );
          version += 1;
          rowsNow += 1 + planned.record.targets.length;
          onRecorded();
        }
        this.relay?.relay.notify();
        return plan.alreadyRecordedRows - ownRows;
      } catch (error) {
        ownRows += rowsNow;
        if (!(error instanceof ExpectedVersionConflictError) || attempt >= MAX_APPLY_ATTEMPTS) throw error;
        // Another writer took the version, or an earlier import's server died holding a claim for it: its
        // event is then stored by the relay within OUTBOX_COMPLETE_AFTER_MS. Plan again once it is.
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
      }
    }
  }

  private async apply(id: string, path: string, format: ImportFormat, ctx: ImportPlanContext, now: Date) {
    try {
      const applied = await this.pass(id, path, format, ctx, now, 'apply');
      await this.finish(id, 'completed', progressOf(applied, 'apply'));
      this.logger.log({ importId: id, recorded: applied.recorded }, 'import completed');
    } catch (error) {
      // Sending the file again helps after a failure of the server or the database, not when the ledger
      // changed under the import (a write through the API to the same pledge): that row needs a new file.
      const failure =
        error instanceof NoLongerFitsError
          ? `${error.message}. The pledge was written to while the import ran, so this row and the rest of its pledge were not recorded; what was recorded stays recorded. Fix the row (or leave it out) and send the file again: rows already recorded are skipped.`
          : `${(error as Error).message}. What was recorded stays recorded; send the same file again to record the rest (rows already recorded are skipped).`;
      this.logger.error({ importId: id, err: error }, 'import failed');
      await this.finish(id, this.stopping ? 'interrupted' : 'failed', { failure }).catch(() => undefined);
    } finally {
      this.active -= 1;
      await unlink(path).catch(() => undefined);
    }
  }

  private inBackground(work: () => Promise<void>): void {
    // Outside the request's deadline: the answer is sent, the recording goes on.
    const task = runWithoutDeadline(work).finally(() => this.running.delete(task));
    this.running.add(task);
  }

  // ---- progress --------------------------------------------------------------------------------------

  private readonly lastWrite = new Map<string, number>();

  /**
   * Writes `fields()` every fifth of IMPORT_STALE_AFTER_MS, so a running import never looks stale however
   * long it waits (for the next bytes, or for the database); answers the function that stops it.
   */
  private heartbeat(id: string, fields: () => Partial<ImportDocument>): () => void {
    const timer = setInterval(
      () => void this.save(id, fields()).catch(() => undefined),
      this.config.IMPORT_STALE_AFTER_MS / 5,
    );
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Writes progress at most every half second per import (the last figures are written by `finish`). */
  private progress(id: string, fields: Partial<ImportDocument>): void {
    const now = Date.now();
    if (now - (this.lastWrite.get(id) ?? 0) < 500) return;
    this.lastWrite.set(id, now);
    void this.save(id, fields).catch((error: unknown) =>
      this.logger.warn({ importId: id, err: error }, 'import progress not saved'),
    );
  }

  /** Each import's writes, one after the other: a late progress write never lands after the final figures. */
  private readonly writes = new Map<string, Promise<void>>();

  private write(id: string, fields: Partial<ImportDocument>): Promise<void> {
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        await this.imports.updateOne(
          { _id: id },
          { $set: { ...fields, updatedAt: new Date().toISOString() } },
        );
      });
    this.writes.set(id, next);
    return next;
  }

  private save(id: string, fields: Partial<ImportDocument>): Promise<void> {
    return this.write(id, fields);
  }

  private async finish(id: string, status: ImportState, fields: Partial<ImportDocument>): Promise<void> {
    this.lastWrite.delete(id);
    try {
      await this.write(id, { ...fields, status, finishedAt: new Date().toISOString() });
    } finally {
      this.writes.delete(id);
    }
  }
}

/** Import services alive in this process (tests boot several APIs in one process, one after the other). */
const LIVE_INSTANCES = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A planned row that a write meanwhile (through the API) has made wrong for its pledge. */
class NoLongerFitsError extends Error {}

class FileTooLargeError extends Error {
  constructor(limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

function firstErrors(errors: ImportRowError[]): ImportRowError[] {
  return errors.slice(0, MAX_LISTED_ERRORS);
}

function progressOf(totals: PassTotals, mode: 'check' | 'apply'): Partial<ImportDocument> {
  return mode === 'check'
    ? {
        rowsRead: totals.rowsRead,
        rejected: totals.rejected,
        accepted: totals.rowsRead - totals.rejected,
        errorsTotal: totals.errorsTotal,
        alreadyRecorded: totals.alreadyRecorded,
        pledges: totals.pledges,
      }
    : { rowsApplied: totals.rowsApplied, recorded: totals.recorded, alreadyRecorded: totals.alreadyRecorded };
}

function viewOf({ _id, ...doc }: ImportDocument, staleAfterMs: number): ImportView {
  const running = doc.status === 'validating' || doc.status === 'applying';
  if (running && Date.now() - Date.parse(doc.updatedAt) > staleAfterMs)
    return {
      id: _id,
      ...doc,
      status: 'interrupted',
      failure:
        'The server working on this import stopped. What was recorded stays recorded; send the same file again to record the rest (rows already recorded are skipped).',
    };
  return { id: _id, ...doc };
}

/** Runs `worker` over the items of `source` with at most `limit` at once. */
async function pool<T>(source: AsyncIterable<T>, limit: number, worker: (item: T) => Promise<void>) {
  const iterator = source[Symbol.asyncIterator]();
  const lane = async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      await worker(next.value);
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
}
