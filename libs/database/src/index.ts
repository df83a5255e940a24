export * from './database.module';
export * from './mongo-errors';
export * from './mongo.health';
export * from './lease';
export * from './operation-deadline';
