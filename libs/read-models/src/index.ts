export * from './read-model-catalog';
export * from './pledge-summary.document';
export * from './pledge-summary.projection';
export * from './projection-checkpoints';
export * from './dead-letters';
export * from './projection-consumer';
export * from './rebuild';
export * from './report-snapshots';
