import { SequencerState } from './log-store';

/**
 * The size of the log whose every entry a read model reflects, from what it applied per topic partition (the
 * highest log position read there; a partition's messages are in log order) and the sequencer's last state
 * (size S, the last position it published to each partition below S).
 *
 * A partition whose applied position reached its last one below S holds nothing else below S, so it
 * reflects everything below S; any other partition reflects everything up to its applied position. The
 * least of these is a size T with every entry below T reflected (entries from T on may be reflected too).
 */
export function reflectedTreeSize(
  applied: readonly { partition: number; logIndex?: number }[],
  state: Pick<SequencerState, 'frontier' | 'partitionLast'> | null,
): number {
  if (!state) return 0;
  const byPartition = new Map(applied.map((p) => [String(p.partition), p.logIndex]));
  let size = state.frontier.size;
  for (const [partition, last] of Object.entries(state.partitionLast)) {
    const reached = byPartition.get(partition);
    if (reached !== undefined && reached >= last) continue;
    size = Math.min(size, reached === undefined ? 0 : reached + 1);
  }
  return size;
}
