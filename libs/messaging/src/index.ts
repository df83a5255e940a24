export * from './kafka-client';
export * from './topics';
export * from './pledge-event-codec';
export * from './kafka.module';
export * from './kafka.health';
export * from './relay/outbox-relay';
export * from './relay/relay.module';
export * from './reconciliation/log-reconciliation';
