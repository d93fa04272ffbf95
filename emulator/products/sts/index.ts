import type { EmulatorContext, ProductDefinition, RpcRequest } from '../../core/contract';

/** The emulator's single identity is the account's root user (the configured AccessKey belongs to it). */
function getCallerIdentity(_req: RpcRequest, ctx: EmulatorContext): Record<string, unknown> {
  return {
    AccountId: ctx.accountId,
    UserId: ctx.accountId,
    PrincipalId: ctx.accountId,
    Arn: `acs:ram::${ctx.accountId}:root`,
    IdentityType: 'Account',
  };
}

export const stsProduct: ProductDefinition = {
  name: 'sts',
  style: 'rpc',
  version: '2015-04-01',
  actions: { GetCallerIdentity: getCallerIdentity },
};
