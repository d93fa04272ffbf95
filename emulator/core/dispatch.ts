import type { EmulatorContext } from './contract';
import type { IdempotencyCache } from './idempotency';
import { roaOutcome, rpcOutcome, type Outcome } from './respond';
import type { Route } from './router';
import type { WireRequest } from './wire';

/** The business parameters of an RPC call minus its token, in a stable order: "the same request". */
function rpcFingerprint(params: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(params)
      .filter((key) => key !== 'ClientToken' && key !== 'Token')
      .sort()
      .map((key) => [key, params[key]]),
  );
}

export interface CallIdentity {
  requestId: string;
  accessKeyId: string;
}

/** Hands a routed, verified call to its product and turns the result into a response. */
export async function callProduct(
  route: Route,
  wire: WireRequest,
  who: CallIdentity,
  context: EmulatorContext,
  idempotency: { cache: IdempotencyCache; strict: boolean },
): Promise<Outcome> {
  if (route.kind === 'rpc') {
    const fingerprint = idempotency.strict ? rpcFingerprint(route.params) : undefined;
    const callContext: EmulatorContext = {
      ...context,
      idempotent: (scope, create) => idempotency.cache.run(scope, create, fingerprint),
    };
    const result = await route.handler(
      {
        product: route.product,
        action: route.action,
        version: route.version,
        region: route.region,
        params: route.params,
        ...who,
      },
      callContext,
    );
    return rpcOutcome(who.requestId, result);
  }
  const result = await route.handler(
    {
      product: route.product,
      method: wire.method,
      path: wire.path,
      pathParams: route.pathParams,
      query: wire.query,
      headers: wire.headers,
      body: wire.body,
      region: route.region,
      accountId: route.accountId,
      ...who,
    },
    context,
  );
  return roaOutcome(result);
}
