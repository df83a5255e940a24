/**
 * Transparency-log benchmark on the real servers. Prints figures only: no thresholds, no pass/fail.
 *
 *   npm run bench:log
 *
 * 1. Sequencing against the relay's rate, same run: BENCH_LOG_EVENTS events appended through the event store
 *    are drained by the outbox relay (which sequences them: positions, tiles, state, checkpoints) and, as the
 *    baseline, the same number of raw `insertMany` documents of the same size into the same database; then the
 *    sequencer alone (no Kafka) over the same events in a fresh log.
 * 2. Proofs from stored tiles at BENCH_LOG_LEAVES leaves (default 1,000,000): the tiles of a tree of that many
 *    leaves are written, then inclusion and consistency proofs are generated from them (p50/p99), against the
 *    same-run baseline of one raw `findOne` of a tile by `_id`.
 * 3. Checkpoint signing rate (Ed25519 over a checkpoint note) against raw `crypto.sign` of the same bytes.
 *
 * Environment: KAFKA_BROKERS, MONGODB_URI (else infra.sh up), BENCH_LOG_EVENTS=5000, BENCH_LOG_LEAVES=1000000,
 * BENCH_LOG_PROOFS=300.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { Partitioners } from 'kafkajs';
import { createKafka } from '@ledger/messaging/kafka-client';
import { ensureTopic } from '@ledger/messaging/topics';
import {
  formatCheckpoint,
  generateNoteSigner,
  HASH_SIZE,
  hashTileContents,
  InMemoryMerkleTree,
  PROOF_BUNDLE_FORMAT,
  signCheckpoint,
  TILE_WIDTH,
  tilesToWrite,
  verifyProofBundle,
} from '@ledger/transparency';
import { envInt, fmt, infraDown, infraUp, summarise } from './bench-support';

async function main(): Promise<void> {
  const infra = infraUp();
  process.env.MONGODB_URI = infra.mongoUri;
  const { MongoEventStore } = await import('@ledger/event-store');
  const { OutboxRelay } = await import('@ledger/messaging/relay/outbox-relay');
  const { logProofs, LogSequencer, MongoLogStore, hashTileKey } = await import('@ledger/transparency-log');
  const events = envInt('BENCH_LOG_EVENTS', 5000);
  const leaves = envInt('BENCH_LOG_LEAVES', 1_000_000);
  const proofCount = envInt('BENCH_LOG_PROOFS', 300);
  const client = await new MongoClient(infra.mongoUri).connect();
  const name = `bench_log_${Date.now()}`;
  const db = client.db(name);
  const kafka = createKafka({ brokers: infra.kafkaBrokers, clientId: name, logLevel: 'warn' });
  const topic = `${name}_events`;
  const signer = generateNoteSigner('bench.local/log');
  const quiet = { log: () => undefined, error: (m: string) => process.stderr.write(`${m}\n`) };
  const rss = () => `${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MiB`;
  try {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopic(admin, { topic, numPartitions: 6, replicationFactor: 1, retainForever: true });
    await admin.disconnect();

    // ---- 1. sequencing vs the relay ----------------------------------------------------------------------
    const store = new MongoEventStore(db);
    await store.ensureIndexes();
    const meta = { principal: { id: 'org', role: 'organisation', name: 'Org' }, correlationId: 'bench' };
    const streams = Array.from({ length: 100 }, (_, i) => `pledge-bench-${i}`);
    const narrative = randomBytes(300).toString('base64');
    for (let round = 0, n = 0; n < events; round++)
      await Promise.all(
        streams.slice(0, Math.min(streams.length, events - n)).map((stream) => {
          n += 1;
          return store.append(stream, round, { type: 'Progress', payload: { round, narrative } }, meta);
        }),
      );
    // One pledge with a long history: the verifier's case below.
    const longStream = 'pledge-6f1c2d3e-4b5a-4c6d-8e7f-8091a2b3c4d5';
    for (let version = 0; version < 300; version += 1)
      await store.append(longStream, version, { type: 'Progress', payload: { version, narrative } }, meta);
    const sample = JSON.stringify(await store.readStream(streams[0], { toVersion: 1 }));
    const raw = db.collection<{ _id: string; doc: string }>(`${name}_raw`);
    let started = Date.now();
    for (let i = 0; i < events; i += 500)
      await raw.insertMany(
        Array.from({ length: Math.min(500, events - i) }, (_, j) => ({ _id: `raw-${i + j}`, doc: sample })),
      );
    const rawRate = events / ((Date.now() - started) / 1000);

    const log = new MongoLogStore(db);
    const relay = new OutboxRelay(store, db, kafka, { topic, batchSize: 500, pollIntervalMs: 5 }, quiet, {
      store: log,
      origin: 'bench.local/log',
      signer,
      checkpointIntervalMs: 1000,
    });
    started = Date.now();
    await relay.start();
    while ((await store.outbox.countDocuments({})) > 0) await new Promise((r) => setTimeout(r, 50));
    const relaySeconds = (Date.now() - started) / 1000;
    while ((await log.latestCheckpoint())?.size !== relay.metrics().logSize)
      await new Promise((r) => setTimeout(r, 100));
    await relay.stop();
    const relayRate = (events + 300) / relaySeconds;

    // The verifier on a 300-event pledge: its bundle built as the API builds it, checked as a watchdog would.
    const { eventKey } = await import('@ledger/event-store');
    const latest = (await log.latestCheckpoint())!;
    const history = await store.readStream(longStream, { raw: true });
    const tileProofs = logProofs(log);
    const bundle = {
      format: PROOF_BUNDLE_FORMAT,
      pledgeId: longStream.slice('pledge-'.length),
      origin: 'bench.local/log',
      checkpoint: latest.note,
      treeSize: latest.size,
      events: await Promise.all(
        history.map(async (event) => {
          const logIndex = (await log.indexOfKey(eventKey(longStream, event.version)))!;
          const proof = await tileProofs.inclusion(logIndex, latest.size);
          return { logIndex, event, inclusionProof: proof.map((h) => h.toString('hex')) };
        }),
      ),
    };
    const verifyTimes: number[] = [];
    for (let run = 0; run < 50; run += 1) {
      const t = performance.now();
      const verdict = verifyProofBundle(bundle, { logKeys: [signer] });
      verifyTimes.push(performance.now() - t);
      if (!verdict.ok) throw new Error(`the bundle does not verify: ${verdict.findings[0].message}`);
    }
    const hashTimes: number[] = [];
    for (let run = 0; run < 50; run += 1) {
      const t = performance.now();
      for (const event of history) createHash('sha256').update(JSON.stringify(event)).digest();
      hashTimes.push(performance.now() - t);
    }
    const [vt, ht] = [summarise(verifyTimes), summarise(hashTimes)];
    process.stdout.write(
      `\n## Verifier, one pledge of ${history.length} events in a log of ${latest.size} (50 runs)\n` +
        `| what | p50 ms | p99 ms |\n|---|---|---|\n` +
        `| raw SHA-256 of the events' JSON (baseline) | ${fmt(ht.p50, 2)} | ${fmt(ht.p99, 2)} |\n` +
        `| verifyProofBundle (signature, ${history.length} hashes recomputed, chain, ${history.length} inclusion proofs) | ${fmt(vt.p50, 2)} | ${fmt(vt.p99, 2)} |\n`,
    );

    // The sequencer alone over the same events, into a log of its own (no Kafka, no outbox).
    const alone = new MongoLogStore(client.db(`${name}_alone`));
    const partition = Partitioners.DefaultPartitioner();
    const sequencer = new LogSequencer(alone, {
      origin: 'bench.local/log',
      signer,
      checkpointIntervalMs: 1000,
      isPending: async () => false,
      partitionOf: (key) =>
        partition({
          topic,
          partitionMetadata: Array.from({ length: 6 }, (_, i) => ({
            partitionId: i,
            leader: 0,
            partitionErrorCode: 0,
            replicas: [0],
            isr: [0],
          })),
          message: { key, value: null },
        }),
    });
    const all: { key: string; eventId: string; hash: string }[] = [];
    for await (const event of store.allEvents())
      all.push({ key: `${event.streamId}:${event.version}`, eventId: event.eventId, hash: event.hash });
    started = Date.now();
    for (let i = 0; i < all.length; i += 500) {
      const batch = all.slice(i, i + 500);
      await sequencer.assign(batch);
      await sequencer.published(batch.map((e) => e.key));
    }
    const sequencerRate = all.length / ((Date.now() - started) / 1000);
    process.stdout.write(
      `\n## Sequencing (${events + 300} events, batches of 500, same run)\n` +
        `| what | events/s |\n|---|---|\n` +
        `| raw insertMany of event-sized documents (baseline) | ${fmt(rawRate, 0)} |\n` +
        `| relay: publish + sequence (positions, tiles, state, checkpoints) | ${fmt(relayRate, 0)} |\n` +
        `| sequencer alone (no Kafka) | ${fmt(sequencerRate, 0)} |\n` +
        `sequencing is ${fmt((relayRate / sequencerRate) * 100, 0)} % of the relay's time per event; log size ${relay.metrics().logSize}; rss ${rss()}\n`,
    );

    // ---- 2. proofs from stored tiles at `leaves` leaves ---------------------------------------------------
    started = Date.now();
    const tree = new InMemoryMerkleTree();
    for (let i = 0; i < leaves; i += 1) tree.append(randomBytes(HASH_SIZE));
    const big = new MongoLogStore(client.db(`${name}_big`));
    const tiles = tilesToWrite(0, leaves);
    for (let i = 0; i < tiles.length; i += 200)
      await big.writeTiles(
        tiles.slice(i, i + 200).map((tile) => ({
          key: hashTileKey(tile.level, tile.index),
          hashes: hashTileContents(tile, tree.subtreeHash),
        })),
      );
    const buildSeconds = (Date.now() - started) / 1000;
    const rawReads: number[] = [];
    const inclusion: number[] = [];
    const consistency: number[] = [];
    for (let i = 0; i < proofCount; i += 1) {
      const index = Math.floor(Math.random() * leaves);
      let t = performance.now();
      await big.readTile(hashTileKey(0, Math.floor(index / TILE_WIDTH)));
      rawReads.push(performance.now() - t);
      t = performance.now();
      const proof = await logProofs(big).inclusion(index, leaves);
      inclusion.push(performance.now() - t);
      if (i < 5 && !proof.every((h, k) => h.equals(tree.inclusionProof(index, leaves)[k])))
        throw new Error('a proof from the stored tiles differs from the in-memory tree');
      t = performance.now();
      await logProofs(big).consistency(1 + Math.floor(Math.random() * (leaves - 1)), leaves);
      consistency.push(performance.now() - t);
    }
    const [r, inc, con] = [summarise(rawReads), summarise(inclusion), summarise(consistency)];
    process.stdout.write(
      `\n## Proofs from stored tiles, ${leaves} leaves (${tiles.length} tiles written in ${fmt(buildSeconds)} s), ${proofCount} each\n` +
        `| what | p50 ms | p99 ms |\n|---|---|---|\n` +
        `| raw findOne of one tile by _id (baseline) | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} |\n` +
        `| inclusion proof | ${fmt(inc.p50, 2)} | ${fmt(inc.p99, 2)} |\n` +
        `| consistency proof | ${fmt(con.p50, 2)} | ${fmt(con.p99, 2)} |\n`,
    );

    // ---- 3. checkpoint signing ---------------------------------------------------------------------------
    const checkpoint = {
      origin: 'bench.local/log',
      treeSize: leaves,
      rootHash: tree.rootHash(),
      extensions: [],
    };
    const text = Buffer.from(formatCheckpoint(checkpoint));
    const rate = (fn: () => void) => {
      const t = Date.now();
      let n = 0;
      for (; Date.now() - t < 2000; n += 1) fn();
      return n / ((Date.now() - t) / 1000);
    };
    const signRate = rate(() => signCheckpoint(checkpoint, [signer]));
    const rawSignRate = rate(() => sign(null, text, signer.privateKey));
    process.stdout.write(
      `\n## Checkpoint signing\n| what | per second |\n|---|---|\n` +
        `| raw Ed25519 crypto.sign of the checkpoint text (baseline) | ${fmt(rawSignRate, 0)} |\n` +
        `| signCheckpoint (format + sign + note) | ${fmt(signRate, 0)} |\n` +
        `rss ${rss()}\n`,
    );
  } finally {
    for (const suffix of ['', '_alone', '_big']) await client.db(`${name}${suffix}`).dropDatabase();
    await client.close();
    for (const stopped of infraDown(infra)) process.stdout.write(`stopped ${stopped}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
