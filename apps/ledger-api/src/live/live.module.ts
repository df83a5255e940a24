import { Module } from '@nestjs/common';
import { LogModule } from '../log/log.module';
import { LedgerLogReader } from './ledger-log.reader';
import { LedgerLogTailer } from './ledger-log.tailer';
import { LiveController } from './live.controller';
import { LiveEventsService } from './live.service';

/** GET /events/live: the ledger's events as Server-Sent Events, from one tailer of the log per process. */
@Module({
  imports: [LogModule],
  controllers: [LiveController],
  providers: [LedgerLogReader, LedgerLogTailer, LiveEventsService],
})
export class LiveModule {}
