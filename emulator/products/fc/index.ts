import { ApiError } from '../../core/contract';
import type { ProductDefinition } from '../../core/contract';

/** Function Compute 3.0 (2023-03-30), ROA. */
export const fcProduct: ProductDefinition = {
  name: 'fc',
  style: 'roa',
  version: '2023-03-30',
  routes: [
    {
      method: 'GET',
      pattern: '/2023-03-30/functions/:functionName',
      action: 'GetFunction',
      handler: (req, ctx) => {
        const fn = ctx.store.get('FcFunction', req.pathParams.functionName ?? '');
        if (!fn)
          throw new ApiError(404, 'FunctionNotFound', `function '${req.pathParams.functionName}' does not exist`);
        return { status: 200, body: { functionName: fn.id, state: fn.status } };
      },
    },
  ],
};
