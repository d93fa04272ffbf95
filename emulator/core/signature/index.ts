import type { WireRequest } from '../wire';
import type { VerifyContext } from './common';
import { verifyRoa } from './roa';
import { verifyRpcV1 } from './rpc-v1';
import { verifyV3 } from './v3';

export { NonceCache, type Credentials, type VerifyContext } from './common';
export { RPC_V1_PROTOCOL_PARAMS } from './rpc-v1';

export type SignatureStyle = 'rpc-v1' | 'roa' | 'v3';

/** Which of Alibaba's three signing schemes the request uses, from its Authorization header. */
export function signatureStyle(req: WireRequest): SignatureStyle {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('ACS3-')) return 'v3';
  if (auth.startsWith('acs ')) return 'roa';
  return 'rpc-v1';
}

/** Verifies the request's signature; returns the AccessKeyId or throws the ApiError Alibaba would answer. */
export function verifySignature(req: WireRequest, ctx: VerifyContext): { style: SignatureStyle; accessKeyId: string } {
  const style = signatureStyle(req);
  const verify = style === 'v3' ? verifyV3 : style === 'roa' ? verifyRoa : verifyRpcV1;
  return { style, accessKeyId: verify(req, ctx) };
}
