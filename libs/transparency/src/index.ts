// The verifiable log's pure parts: RFC 9162 Merkle tree hashing and proofs, C2SP checkpoints, signed notes
// and tiles. No I/O: the sequencer, the API and the offline verifier build on these.
export * from './checkpoint';
export * from './checkpoint-history';
export * from './cosignature';
export { emptyTreeHash, HASH_SIZE, isPowerOfTwo, leafHash, nodeHash, splitPoint } from './merkle-hash';
export * from './merkle-frontier';
export * from './merkle-proofs';
export * from './merkle-tree';
export * from './proof-bundle';
export * from './seen-file';
export * from './signed-note';
export * from './tile-proofs';
export * from './tiles';
export * from './witness';
export * from './transparency-error';
