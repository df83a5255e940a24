import { Collection, Db } from 'mongodb';

interface CatalogEntry {
  _id: string;
  active: string;
  switchedAt: string;
}

export const PLEDGE_SUMMARIES = 'pledge_summaries';

/**
 * Which physical collection holds each read model. A rebuild fills a new generation and then switches this one
 * document, so readers move over in one atomic write (renameCollection is not available on every server).
 */
export class ReadModelCatalog {
  private readonly entries: Collection<CatalogEntry>;

  constructor(private readonly db: Db) {
    this.entries = db.collection<CatalogEntry>('read_model_catalog');
  }

  async activeCollectionName(model: string): Promise<string> {
    const entry = await this.entries.findOne({ _id: model });
    return entry?.active ?? `${model}_g0`;
  }

  async switchTo(model: string, collection: string): Promise<string | undefined> {
    const previous = await this.entries.findOne({ _id: model });
    await this.entries.updateOne(
      { _id: model },
      { $set: { active: collection, switchedAt: new Date().toISOString() } },
      { upsert: true },
    );
    return previous?.active ?? `${model}_g0`;
  }

  collection<T extends object>(name: string): Collection<T> {
    return this.db.collection<T>(name);
  }
}
