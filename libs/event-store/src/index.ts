export * from './recorded-event';
export * from './event-hash';
export * from './expected-version-conflict.error';
export * from './upcasting';
export * from './mongo-event-store';
export * from './event-store.module';
