import { Module } from '@nestjs/common';
import { LogModule } from '../log/log.module';
import { PledgesModule } from '../pledges/pledges.module';
import { AuditController } from './audit.controller';
import { LogAuditService } from './log-audit.service';

@Module({ imports: [PledgesModule, LogModule], controllers: [AuditController], providers: [LogAuditService] })
export class AuditModule {}
