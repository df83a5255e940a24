import { MongoClient } from 'mongodb';
import { testMongoClient, uniqueName } from '@ledger/testing';
import { isDuplicateKeyError } from './mongo-errors';

describe('MongoDB-wire server (real)', () => {
  let client: MongoClient;
  const dbName = uniqueName('unique_idx');
  beforeAll(async () => {
    client = await testMongoClient();
  });
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('reports a unique-index violation as a duplicate key, and stores nothing for it', async () => {
    const events = client.db(dbName).collection('events');
    await events.createIndex({ streamId: 1, version: 1 }, { unique: true });
    await events.insertOne({ streamId: 'pledge-a', version: 1 });
    await events.insertOne({ streamId: 'pledge-b', version: 1 });

    const error = await events.insertOne({ streamId: 'pledge-a', version: 1 }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await events.countDocuments({ streamId: 'pledge-a' })).toBe(1);
  });

  it('does not mistake other errors for duplicates', async () => {
    const error = await client
      .db(dbName)
      .command({ noSuchCommand: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isDuplicateKeyError(error)).toBe(false);
  });
});
