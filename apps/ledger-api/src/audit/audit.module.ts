import { Module } from '@nestjs/common';
import { PledgesModule } from '../pledges/pledges.module';
import { AuditController } from './audit.controller';

@Module({ imports: [PledgesModule], controllers: [AuditController] })
export class AuditModule {}
