/** Small stand-in products so core tests do not depend on the real product models. */
import { ApiError, type ProductDefinition } from '../../emulator/core/contract';
import { ramProduct } from '../../emulator/products/ram';
import { stsProduct } from '../../emulator/products/sts';

/** RPC product on VPC's version: echoes what the core decoded, creates "Widget" resources. */
export const echoRpcProduct: ProductDefinition = {
  name: 'vpc',
  style: 'rpc',
  version: '2016-04-28',
  actions: {
    Echo: (req) => ({ Region: req.region, Params: req.params, Action: req.action, AccessKeyId: req.accessKeyId }),
    CreateWidget: async (req, ctx) =>
      ctx.idempotent({ product: 'vpc', action: 'CreateWidget', token: req.params.ClientToken }, () => {
        const id = ctx.newId('wid-');
        ctx.store.insert({
          product: 'vpc',
          type: 'Widget',
          id,
          region: req.region,
          name: req.params.Name,
          status: 'Pending',
        });
        ctx.store.schedule('Widget', id, [
          { status: 'Available', after: 'vpc.create' },
          { status: null, after: 'vpc.delete' },
        ]);
        return { WidgetId: id };
      }),
    DescribeWidget: (req, ctx) => {
      const w = ctx.store.require('Widget', req.params.WidgetId ?? '', 'InvalidWidgetId.NotFound');
      return { WidgetId: w.id, Status: w.status, Name: w.name ?? '' };
    },
    DescribeVpcs: (req) => ({
      TotalCount: 0,
      PageNumber: Number(req.params.PageNumber ?? 1),
      PageSize: Number(req.params.PageSize ?? 10),
      Vpcs: { Vpc: [] },
    }),
    Fail: () => {
      throw new ApiError(409, 'IncorrectStatus.Widget', 'The widget is busy.');
    },
    Crash: () => {
      throw new Error('a bug in a product');
    },
  },
};

/** Region and account of the last ROA GetFunction (the FC SDK's response model drops unknown fields). */
export const lastRoaCall: { region?: string; accountId?: string } = {};

/** ROA product on FC's version. */
export const echoRoaProduct: ProductDefinition = {
  name: 'fc',
  style: 'roa',
  version: '2023-03-30',
  routes: [
    {
      method: 'GET',
      pattern: '/2023-03-30/functions/:functionName',
      action: 'GetFunction',
      handler: (req) => {
        Object.assign(lastRoaCall, { region: req.region, accountId: req.accountId });
        return {
          status: 200,
          body: {
            functionName: req.pathParams.functionName,
            region: req.region,
            accountId: req.accountId,
            query: req.query,
          },
        };
      },
    },
    {
      method: 'POST',
      pattern: '/2023-03-30/functions/:functionName/invocations',
      action: 'InvokeFunction',
      handler: (req) => ({
        status: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from(`echo:${req.body.toString('utf8')}`),
      }),
    },
    {
      method: 'POST',
      pattern: '/2023-03-30/functions',
      action: 'CreateFunction',
      handler: (req) => ({ status: 200, body: { received: JSON.parse(req.body.toString('utf8')) as unknown } }),
    },
  ],
};

/** What the CloudAPI stand-in last received (its SDK's response model drops unknown fields). */
export const lastCloudApiParams: { value?: Record<string, string> } = {};

/** RPC product on CloudAPI's version, whose SDK sends some parameters as a form body. */
export const echoFormProduct: ProductDefinition = {
  name: 'cloudapi',
  style: 'rpc',
  version: '2016-07-14',
  actions: {
    CreateApi: (req) => {
      lastCloudApiParams.value = req.params;
      return { ApiId: 'echo' };
    },
  },
};

export const testProducts: ProductDefinition[] = [
  echoRpcProduct,
  echoRoaProduct,
  echoFormProduct,
  ramProduct,
  stsProduct,
];
