// The verifiable log's pure parts: RFC 9162 Merkle tree hashing and proofs, C2SP checkpoints, signed notes
// and tiles. No I/O: the sequencer, the API and the offline verifier build on these.
export * from './checkpoint';
export { emptyTreeHash, HASH_SIZE, isPowerOfTwo, leafHash, nodeHash, splitPoint } from './merkle-hash';
export * from './merkle-frontier';
export * from './merkle-proofs';
export * from './merkle-tree';
export * from './signed-note';
export * from './tiles';
export * from './transparency-error';
