import { badRequest, GovernorError, notFound } from '../errors/index.js';
import type { DocumentStore, Filter } from '../store/index.js';
import type { Executor, ExecutorInput, MongoUpdate } from './schemas.js';

const EXECUTORS = 'policy_executors';

/**
 * Registered Type 2 executors (spec §2.3 PolicyExecutors). The executor a process runs itself
 * (`default` for the embedded server) always exists, even before anyone registers it.
 */
export class ExecutorRegistry {
  constructor(
    private readonly store: DocumentStore,
    readonly localId: string,
  ) {}

  async create(input: ExecutorInput): Promise<Executor> {
    const doc = { executor_status: 'healthy', ...input } as Executor;
    if (await this.store.get(EXECUTORS, input.executor_id)) {
      throw new GovernorError('conflict', `executor ${input.executor_id} already exists`, {
        executor_id: input.executor_id,
      });
    }
    await this.store.insert(EXECUTORS, { id: input.executor_id, ...doc });
    return doc;
  }

  async get(id: string): Promise<Executor> {
    const doc = await this.store.get(EXECUTORS, id);
    if (doc) return strip(doc);
    if (id === this.localId)
      return { executor_id: id, executor_status: 'healthy', executor_metadata: { embedded: true } };
    throw notFound('executor', id);
  }

  async query(filter: Filter = {}): Promise<Executor[]> {
    return (await this.store.find(EXECUTORS, filter, { sort: { executor_id: 1 } })).map(strip);
  }

  async update(id: string, update: MongoUpdate): Promise<Executor> {
    if (update.$set && 'executor_id' in update.$set)
      throw badRequest('$set.executor_id', 'executor_id cannot change');
    const doc = await this.store.updateOne(EXECUTORS, { id }, update);
    if (!doc) throw notFound('executor', id);
    return strip(doc);
  }

  async remove(id: string): Promise<void> {
    if ((await this.store.delete(EXECUTORS, { id })) === 0) throw notFound('executor', id);
  }
}

function strip(doc: Record<string, unknown>): Executor {
  const { id: _id, ...rest } = doc;
  return rest as Executor;
}
