import { isDeepStrictEqual } from 'node:util';
import { GovernorError, notFound } from '../errors/index.js';
import { applyUpdate, type DocumentStore, type Update, validateUpdate } from '../store/index.js';
import type { PreCheckGate } from './precheck-gate.js';
import { type ClusterEntry, ClusterEntrySchema } from './schemas.js';
import { checkShape } from './shape.js';
import { withTotals } from './totals.js';

export const CLUSTERS = 'clusters';

/** Cluster metrics as the pre-check policies see them (`clusterMetrics` of the actions). */
export type ClusterMetricsSource = () => Promise<Record<string, unknown>>;

/** Where the cluster services read and write this controller's cluster entry. */
export interface ClusterContext {
  store: DocumentStore;
  clusterId: string;
  gate: PreCheckGate;
  metrics: ClusterMetricsSource;
}

const MAX_ATTEMPTS = 10;

/**
 * Read, compute, compare-and-set: `change` runs outside any transaction (it may call a pre-check
 * policy, which can take a while), and the write only lands if the entry is still the one it read;
 * otherwise the change is computed again from the new state.
 */
export async function changeCluster(
  ctx: ClusterContext,
  change: (current: ClusterEntry) => Promise<ClusterEntry>,
): Promise<ClusterEntry> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getCluster(ctx);
    const next = await change(current);
    const written = await ctx.store.transaction(async (tx) => {
      if (!isDeepStrictEqual(await tx.get(CLUSTERS, ctx.clusterId), current)) return false;
      await tx.replace(CLUSTERS, next);
      return true;
    });
    if (written) return next;
  }
  throw new GovernorError('conflict', 'the cluster entry kept changing concurrently; retry', {
    cluster_id: ctx.clusterId,
  });
}

export async function getCluster(ctx: ClusterContext): Promise<ClusterEntry> {
  const entry = await ctx.store.get<ClusterEntry & { id: string }>(CLUSTERS, ctx.clusterId);
  if (!entry) throw notFound('cluster', ctx.clusterId);
  return entry;
}

const touchesNodes = (update: Update) =>
  Object.values(update).some((fields) =>
    Object.keys(fields as object).some((path) => path === 'nodes' || path.startsWith('nodes.')),
  );

/**
 * PATCH /cluster-actions/update-cluster: a MongoDB update of the entry, passed through the
 * `update_cluster` pre-check as `{cluster_data: <entry after the update>}`; the (possibly
 * rewritten) result must still be a valid entry with the same id. Totals follow the nodes.
 */
export async function updateCluster(ctx: ClusterContext, update: Update): Promise<ClusterEntry> {
  validateUpdate(update);
  return changeCluster(ctx, async (current) => {
    let proposed = applyUpdate(current as ClusterEntry & { id: string }, update).doc as ClusterEntry;
    if (touchesNodes(update)) {
      checkShape(ClusterEntrySchema, proposed, 'cluster_data');
      proposed = withTotals(proposed);
    }
    const { cluster_data } = await ctx.gate.check('update_cluster', { cluster_data: proposed });
    checkShape(ClusterEntrySchema, cluster_data, 'cluster_data');
    if (cluster_data.id !== ctx.clusterId)
      throw new GovernorError('bad_request', 'the cluster id cannot be changed', {
        field: 'cluster_data.id',
      });
    return cluster_data;
  });
}

/** Writes the cluster entry on first start; an existing entry is kept as it is. */
export async function ensureClusterEntry(store: DocumentStore, seed: ClusterEntry): Promise<ClusterEntry> {
  checkShape(ClusterEntrySchema, seed, 'cluster');
  const existing = await store.get<ClusterEntry & { id: string }>(CLUSTERS, seed.id);
  if (existing) return existing;
  const entry = withTotals(seed);
  try {
    await store.insert(CLUSTERS, entry);
  } catch (err) {
    // Another replica created it first: theirs wins.
    if ((err as GovernorError).code !== 'conflict') throw err;
  }
  return (await store.get<ClusterEntry & { id: string }>(CLUSTERS, seed.id))!;
}
