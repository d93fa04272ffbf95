import type { ProductDefinition } from '../../core/contract';

/** CBN (CEN) 2017-09-12 (RPC). */
export const cbnProduct: ProductDefinition = {
  name: 'cbn',
  style: 'rpc',
  version: '2017-09-12',
  actions: {
    DescribeCens: (_req, ctx) => {
      const cens = ctx.store.list('Cen');
      return {
        Cens: {
          Cen: cens.map((c) => ({ CenId: c.id, Name: c.name ?? '', Status: c.status, CreationTime: c.createdAt })),
        },
        TotalCount: cens.length,
        PageNumber: 1,
        PageSize: Math.max(cens.length, 10),
      };
    },
  },
};
