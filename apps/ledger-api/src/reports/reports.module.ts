import { Module } from '@nestjs/common';
import { LogModule } from '../log/log.module';
import { PledgesModule } from '../pledges/pledges.module';
import { PledgeReadModel } from './pledge-read-model';
import { ReportsController } from './reports.controller';

@Module({
  imports: [PledgesModule, LogModule],
  controllers: [ReportsController],
  providers: [PledgeReadModel],
})
export class ReportsModule {}
