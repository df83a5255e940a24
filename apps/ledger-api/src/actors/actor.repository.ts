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

@Injectable()
export class ActorRepository implements OnModuleInit {
  private readonly actors: Collection<ActorRecord>;

  constructor(@InjectLedgerDb() db: Db) {
    this.actors = db.collection<ActorRecord>('actors');
  }

  async onModuleInit(): Promise<void> {
    await this.actors.createIndex({ apiKeyHash: 1 }, { unique: true, name: 'api_key_hash_unique' });
    await this.actors.createIndex({ kind: 1, name: 1 }, { name: 'kind_name' });
  }

  insert(record: ActorRecord): Promise<unknown> {
    return this.actors.insertOne(record);
  }

  findByKeyHash(apiKeyHash: string): Promise<ActorRecord | null> {
    return this.actors.findOne({ apiKeyHash });
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
    const result = await this.actors.updateOne({ _id: id }, { $set: { apiKeyHash, keyRotatedAt: at } });
    return result.matchedCount === 1;
  }
}
