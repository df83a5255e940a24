import { Injectable, OnModuleInit } from '@nestjs/common';
import { Collection, Db } from 'mongodb';
import { Actor, ActorType } from '@ledger/domain';
import { InjectLedgerDb } from '@ledger/database';

export type ActorKind = 'organisation' | 'verifier';

/** A registered organisation or verifier and the hash of its API key (the key itself is never stored). */
export interface ActorRecord {
  _id: string;
  kind: ActorKind;
  name: string;
  type?: ActorType;
  country?: string;
  apiKeyHash: string;
  registeredAt: string;
  registeredBy: string;
  keyRotatedAt?: string;
}

export function toActor(record: ActorRecord): Actor {
  return { id: record._id, name: record.name, type: record.type!, country: record.country! };
}

/** Key hash → actor: every authenticated request is one lookup by _id (the one FerretDB v1 serves by index). */
interface ApiKeyRecord {
  _id: string;
  actorId: string;
}

@Injectable()
export class ActorRepository implements OnModuleInit {
  private readonly actors: Collection<ActorRecord>;
  private readonly apiKeys: Collection<ApiKeyRecord>;

  constructor(@InjectLedgerDb() db: Db) {
    this.actors = db.collection<ActorRecord>('actors');
    this.apiKeys = db.collection<ApiKeyRecord>('api_keys');
  }

  async onModuleInit(): Promise<void> {
    await this.actors.createIndex({ apiKeyHash: 1 }, { unique: true, name: 'api_key_hash_unique' });
    await this.actors.createIndex({ kind: 1, name: 1 }, { name: 'kind_name' });
  }

  async insert(record: ActorRecord): Promise<void> {
    await this.apiKeys.insertOne({ _id: record.apiKeyHash, actorId: record._id });
    await this.actors.insertOne(record);
  }

  async findByKeyHash(apiKeyHash: string): Promise<ActorRecord | null> {
    const key = await this.apiKeys.findOne({ _id: apiKeyHash });
    const actor = key && (await this.actors.findOne({ _id: key.actorId }));
    // A key replaced by a rotation no longer matches its actor's current hash.
    return actor && actor.apiKeyHash === apiKeyHash ? actor : null;
  }

  findById(id: string): Promise<ActorRecord | null> {
    return this.actors.findOne({ _id: id });
  }

  findByKindAndName(kind: ActorKind, name: string): Promise<ActorRecord | null> {
    return this.actors.findOne({ kind, name });
  }

  list(kind: ActorKind): Promise<ActorRecord[]> {
    return this.actors
      .find({ kind }, { projection: { apiKeyHash: 0 } })
      .sort({ name: 1 })
      .toArray();
  }

  async replaceKeyHash(id: string, apiKeyHash: string, at: string): Promise<boolean> {
    const actor = await this.actors.findOne({ _id: id });
    if (!actor) return false;
    await this.apiKeys.insertOne({ _id: apiKeyHash, actorId: id });
    await this.actors.updateOne({ _id: id }, { $set: { apiKeyHash, keyRotatedAt: at } });
    await this.apiKeys.deleteOne({ _id: actor.apiKeyHash });
    return true;
  }
}
