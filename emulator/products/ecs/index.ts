import type { ProductDefinition } from '../../core/contract';

/** ECS 2014-05-26 (RPC). */
export const ecsProduct: ProductDefinition = {
  name: 'ecs',
  style: 'rpc',
  version: '2014-05-26',
  actions: {
    DescribeRegions: (_req, ctx) => ({
      Regions: {
        Region: ctx.regions.map((id) => ({
          RegionId: id,
          LocalName: id,
          RegionEndpoint: `ecs.${id}.aliyuncs.com`,
          Status: 'available',
        })),
      },
    }),
  },
};
