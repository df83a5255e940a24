import { Module } from '@nestjs/common';
import { LogController } from './log.controller';
import { LogTilesRoutes } from './log-tiles.routes';
import { TransparencyLog } from './transparency-log.service';

@Module({
  controllers: [LogController],
  providers: [TransparencyLog, LogTilesRoutes],
  exports: [TransparencyLog],
})
export class LogModule {}
