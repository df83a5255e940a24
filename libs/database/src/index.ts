export * from './database.module';
export * from './mongo-errors';
export * from './mongo.health';
export * from './server-flavour';
export * from './lease';
export * from './operation-deadline';
