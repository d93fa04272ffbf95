import type { ProductDefinition } from '../../core/contract';

/** VPC 2016-04-28 (RPC). */
export const vpcProduct: ProductDefinition = {
  name: 'vpc',
  style: 'rpc',
  version: '2016-04-28',
  actions: {
    DescribeRegions: (_req, ctx) => ({
      Regions: {
        Region: ctx.regions.map((id) => ({ RegionId: id, LocalName: id, RegionEndpoint: `vpc.${id}.aliyuncs.com` })),
      },
    }),
  },
};
