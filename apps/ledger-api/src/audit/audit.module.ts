import { Module } from '@nestjs/common';
import { PledgesModule } from '../pledges/pledges.module';
import { AuditController } from './audit.controller';
import { LogAuditService } from './log-audit.service';

@Module({ imports: [PledgesModule], controllers: [AuditController], providers: [LogAuditService] })
export class AuditModule {}
