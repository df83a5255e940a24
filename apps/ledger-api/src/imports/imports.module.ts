import { Module } from '@nestjs/common';
import { ActorsModule } from '../actors/actors.module';
import { PledgesModule } from '../pledges/pledges.module';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({
  imports: [ActorsModule, PledgesModule],
  controllers: [ImportsController],
  providers: [ImportsService],
})
export class ImportsModule {}
