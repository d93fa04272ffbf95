import type { ProductDefinition, RpcHandler } from '../../core/contract';

/** Zones where a dedicated instance can be created (DescribeZones). */
const describeZones: RpcHandler = (req) => ({
  Zones: {
    Zone: [`${req.region}-a`, `${req.region}-b`].map((zoneId) => ({ ZoneId: zoneId, LocalName: zoneId })),
  },
});

/** API Gateway (CloudAPI) 2016-07-14, RPC. */
export const cloudapiProduct: ProductDefinition = {
  name: 'cloudapi',
  style: 'rpc',
  version: '2016-07-14',
  actions: { DescribeZones: describeZones },
};
