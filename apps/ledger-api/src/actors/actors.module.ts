import { Module } from '@nestjs/common';
import { ActorRepository } from './actor.repository';
import { ActorsController } from './actors.controller';
import { ActorsService } from './actors.service';

@Module({
  controllers: [ActorsController],
  providers: [ActorRepository, ActorsService],
  exports: [ActorRepository],
})
export class ActorsModule {}
