import { Module } from '@nestjs/common';
import { PledgesModule } from '../pledges/pledges.module';
import { PledgeReadModel } from './pledge-read-model';
import { ReportsController } from './reports.controller';

@Module({ imports: [PledgesModule], controllers: [ReportsController], providers: [PledgeReadModel] })
export class ReportsModule {}
