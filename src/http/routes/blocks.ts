import { Type } from 'typebox';
import { BlockEntrySchema, BlockQuerySchema, MongoDocumentSchema } from '../../cluster/index.js';
import type { Update } from '../../store/index.js';
import type { RouteModule } from './index.js';

const BlockIdParams = Type.Object({ block_id: Type.String({ minLength: 1 }) });
/** Query results may be projected, so their items are any objects. */
const BlockList = Type.Array(Type.Record(Type.String(), Type.Unknown()));
const tags = ['blocks'];

/** The cluster's blocks DB (seed 002, spec §3.4): paths and bodies exactly as the seed writes them. */
export const blockRoutes: RouteModule = (app, cp) => {
  app.get(
    '/blocks',
    { schema: { tags, summary: 'All blocks in the cluster', response: { 200: BlockList } } },
    () => cp.blocks.list(),
  );

  app.get(
    '/blocks/:block_id',
    {
      schema: { tags, summary: 'One block', params: BlockIdParams, response: { 200: BlockEntrySchema } },
    },
    (req) => cp.blocks.get(req.params.block_id),
  );

  app.post(
    '/blocks/query',
    {
      config: { readOnly: true },
      schema: {
        tags,
        summary: 'MongoDB query over blocks: {"query": <filter>, "options": {sort, limit, skip, projection}}',
        body: BlockQuerySchema,
        response: { 200: BlockList },
      },
    },
    (req) => cp.blocks.query(req.body),
  );

  app.put(
    '/block/update/:block_id',
    {
      schema: {
        tags,
        summary: 'Apply a MongoDB update ($set, $unset, $inc, $push, $pull, $addToSet, $rename) to a block',
        params: BlockIdParams,
        body: MongoDocumentSchema,
        response: { 200: BlockEntrySchema },
      },
    },
    (req) => cp.blocks.update(req.params.block_id, req.body as Update),
  );
};
