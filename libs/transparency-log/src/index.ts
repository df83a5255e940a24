// The transparency log's stored side: positions, tiles, tree state and checkpoints in MongoDB, the sequencer
// that writes them (run by the relay) and the proofs the API serves from them.
export * from './log-proofs';
export * from './log-sequencer';
export * from './log-signer';
export * from './log-store';
export * from './reflected-size';
