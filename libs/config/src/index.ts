export * from './ledger-config';
export * from './config.module';
export * from './logging.module';
export * from './http-app';
export * from './request-deadline';
