import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActionCatalogue } from '@ledger/domain';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { RecordPledgeHandler } from './commands/record-pledge.handler';
import { PledgeWritesService } from './pledge-writes.service';
import { PledgeRepository } from './pledge.repository';
import { PledgesController } from './pledges.controller';
import { GetPledgeHandler } from './queries/get-pledge.query';

@Module({
  imports: [CqrsModule],
  controllers: [PledgesController],
  providers: [
    { provide: ActionCatalogue, useFactory: () => new ActionCatalogue() },
    PledgeRepository,
    IdempotencyService,
    PledgeWritesService,
    RecordPledgeHandler,
    GetPledgeHandler,
  ],
  exports: [PledgeRepository, ActionCatalogue],
})
export class PledgesModule {}
