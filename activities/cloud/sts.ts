import type { RpcClient } from './rpc-client';

// STS 2015-04-01 (global endpoint).

export interface GetCallerIdentityResponse {
  AccountId: string;
  UserId?: string;
  Arn?: string;
  IdentityType?: string;
  PrincipalId?: string;
  RoleId?: string;
}

export class StsClient {
  readonly #rpc: RpcClient;
  constructor(rpc: RpcClient) {
    this.#rpc = rpc;
  }

  /** Who the credentials belong to; AccountId is FC's endpoint prefix and proves the keys work (preflight). */
  getCallerIdentity() {
    return this.#rpc.call<GetCallerIdentityResponse>('GetCallerIdentity', {});
  }
}
