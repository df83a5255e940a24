import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Db } from 'mongodb';
import { LedgerConfig } from '@ledger/config';
import { InjectReadModelDb, Lease } from '@ledger/database';
import {
  CompiledReports,
  PLEDGE_SUMMARIES,
  ProjectionCheckpoints,
  ReadModelCatalog,
  ReportSnapshots,
  watermarkKey,
} from '@ledger/read-models';

/** Compiles can outlast a second on a large read model; one projector instance compiles at a time. */
const LEASE_TTL_MS = 120_000;

/** After a compile of d ms, a compile for new events only waits at least REST_FACTOR × d (a third duty cycle). */
const REST_FACTOR = 2;

/** Margin for the next compile to finish before the snapshot it replaces is too old to serve. */
const SAFETY_MS = 10_000;

/**
 * Keeps the report snapshots of the active read-model generation in step with it: after new events, after a
 * rebuild switched generations, and when time alone changes a report (a pledge lapses, a deadline passes).
 */
@Injectable()
export class ReportCompilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportCompiler');
  private readonly catalog: ReadModelCatalog;
  private readonly checkpoints: ProjectionCheckpoints;
  private readonly snapshots: ReportSnapshots;
  private readonly lease: Lease;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;
  last?: CompiledReports;
  private lastFinishedAt = 0;
  compiles = 0;
  failures = 0;

  constructor(
    @InjectReadModelDb() db: Db,
    private readonly config: LedgerConfig,
  ) {
    this.catalog = new ReadModelCatalog(db);
    this.checkpoints = new ProjectionCheckpoints(db);
    this.snapshots = new ReportSnapshots(db);
    this.lease = new Lease(
      db,
      'report-compiler',
      `${hostname()}:${process.pid}:${randomUUID()}`,
      LEASE_TTL_MS,
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.REPORT_COMPILE_INTERVAL_MS > 0) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await this.lease.release().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => this.schedule());
    }, this.config.REPORT_COMPILE_INTERVAL_MS);
  }

  /** Compiles when the snapshots are missing or behind; otherwise does nothing. Never throws. */
  async tick(): Promise<CompiledReports | undefined> {
    try {
      if (!(await this.lease.keep())) return undefined;
      const generation = await this.catalog.activeCollectionName(PLEDGE_SUMMARIES);
      const current = watermarkKey(await this.checkpoints.watermark(generation));
      if (this.last?.generation !== generation) {
        // Another instance may have compiled before this one took over.
        const stored = await this.snapshots.get(generation, 'actor');
        this.last = stored ?? undefined;
      }
      const last = this.last;
      const stillTrue =
        last !== undefined &&
        last.generation === generation &&
        (last.validUntil === null || Date.now() < Date.parse(last.validUntil));
      if (stillTrue && watermarkKey(last.watermark) === current) return undefined;
      // Behind by new events only: leave the database to the projector most of the time on a large read model,
      // but compile again in time for readers to have a snapshot younger than REPORT_SNAPSHOT_MAX_AGE_MS (an
      // older one behind the read model is not served, and computing a large report on request costs seconds).
      const lastMs = last?.compileMs ?? 0;
      const rest = Math.min(
        REST_FACTOR * lastMs,
        Math.max(0, this.config.REPORT_SNAPSHOT_MAX_AGE_MS - 2 * lastMs - SAFETY_MS),
      );
      if (stillTrue && Date.now() < this.lastFinishedAt + rest) return undefined;
      this.last = await this.snapshots.compile(generation, this.config.LAPSE_AFTER_DAYS);
      this.lastFinishedAt = Date.now();
      this.compiles += 1;
      if (this.last.tooLarge)
        this.logger.warn(
          `reports by ${this.last.tooLarge.join(', ')} exceed one document: they are computed on request`,
        );
      this.logger.debug(
        `compiled the reports of ${generation}: ${this.last.pledges} pledges in ${this.last.compileMs} ms`,
      );
      return this.last;
    } catch (error) {
      this.failures += 1;
      this.logger.warn(`report compile failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  status() {
    const last = this.last;
    return {
      generation: last?.generation ?? null,
      computedAt: last?.computedAt ?? null,
      validUntil: last?.validUntil ?? null,
      lastEventRecordedAt: last?.watermark.lastEventRecordedAt ?? null,
      pledges: last?.pledges ?? null,
      compileMs: last?.compileMs ?? null,
      tooLarge: last?.tooLarge ?? [],
      compilesByThisProcess: this.compiles,
      failures: this.failures,
    };
  }
}
