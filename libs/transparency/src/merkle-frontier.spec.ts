import { createHash } from 'node:crypto';
import { leafHash } from './merkle-hash';
import { MerkleFrontier } from './merkle-frontier';
import { InMemoryMerkleTree } from './merkle-tree';

const eventHash = (i: number): Buffer => createHash('sha256').update(`event ${i}`).digest();

describe('MerkleFrontier', () => {
  it('has the root of the whole tree after every append, keeping one hash per set bit of the size', () => {
    const frontier = MerkleFrontier.empty();
    const tree = new InMemoryMerkleTree();
    expect(frontier.rootHash().equals(tree.rootHash())).toBe(true);
    for (let i = 0; i < 300; i += 1) {
      expect(frontier.append(eventHash(i))).toBe(i);
      tree.append(eventHash(i));
      expect(frontier.rootHash().toString('hex')).toBe(tree.rootHash().toString('hex'));
      expect(frontier.state().hashes).toHaveLength((i + 1).toString(2).replace(/0/g, '').length);
    }
  });

  it('continues the same tree from its persisted state, as a restarted sequencer must', () => {
    const before = MerkleFrontier.empty();
    for (let i = 0; i < 21; i += 1) before.append(eventHash(i));
    const saved = JSON.parse(JSON.stringify(before.state()));
    const after = MerkleFrontier.fromState(saved);
    for (let i = 21; i < 50; i += 1) after.appendLeafHash(leafHash(eventHash(i)));
    const tree = InMemoryMerkleTree.fromLeaves(Array.from({ length: 50 }, (_, i) => eventHash(i)));
    expect(after.size).toBe(50);
    expect(after.rootHash().equals(tree.rootHash())).toBe(true);
  });

  it('refuses a state that cannot be a frontier', () => {
    const state = MerkleFrontier.empty();
    for (let i = 0; i < 5; i += 1) state.append(eventHash(i));
    const { hashes } = state.state();
    expect(() => MerkleFrontier.fromState({ size: 5, hashes: hashes.slice(1) })).toThrow(/2 frontier hashes/);
    expect(() => MerkleFrontier.fromState({ size: 4, hashes })).toThrow(RangeError);
    expect(() => MerkleFrontier.fromState({ size: 5, hashes: [hashes[0], 'zz'] })).toThrow(
      /not 64 lower-case hex/,
    );
    expect(() => MerkleFrontier.fromState({ size: -1, hashes: [] })).toThrow(RangeError);
    expect(() => MerkleFrontier.empty().appendLeafHash(Buffer.alloc(31))).toThrow(/32 bytes/);
  });
});
