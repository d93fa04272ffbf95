/**
 * RPC parameter encoding, in one place. Alibaba's RPC APIs take flat string parameters only:
 * - lists are "repeat lists": `VSwitchIds.1=a&VSwitchIds.2=b`, objects inside them `Permissions.1.IpProtocol=tcp`;
 * - some parameters are JSON documents sent as one string (CloudAPI RequestConfig, RAM policy documents):
 *   wrap those values in `asJson()`;
 * - booleans are `true` / `false`, numbers their decimal form; undefined and null are left out.
 * pop-core itself sends a nested object as "[object Object]", which is why nothing nested reaches it.
 */

export type ParamScalar = string | number | boolean;
export type ParamValue = ParamScalar | undefined | null | JsonParam | ParamList;
export type ParamList = ReadonlyArray<ParamScalar | ParamObject | ParamList>;
export interface ParamObject {
  readonly [key: string]: ParamScalar | undefined | null | JsonParam | ParamList | ParamObject;
}
export type RpcParams = Readonly<Record<string, ParamValue>>;

/** A value sent as one JSON string parameter. */
export class JsonParam {
  constructor(readonly value: unknown) {}
}

export function asJson(value: unknown): JsonParam {
  return new JsonParam(value);
}

export class ParamEncodingError extends Error {
  override readonly name = 'ParamEncodingError';
}

function encodeScalar(name: string, value: ParamScalar): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ParamEncodingError(`parameter ${name}: ${value} is not a finite number`);
    return String(value);
  }
  return typeof value === 'boolean' ? (value ? 'true' : 'false') : value;
}

function encodeInto(out: Record<string, string>, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (value instanceof JsonParam) {
    const json = JSON.stringify(value.value);
    if (json === undefined) throw new ParamEncodingError(`parameter ${name}: asJson() value cannot be serialized`);
    out[name] = json;
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === undefined || item === null) {
        throw new ParamEncodingError(`parameter ${name}.${index + 1}: list items cannot be empty`);
      }
      encodeInto(out, `${name}.${index + 1}`, item);
    });
    return;
  }
  if (typeof value === 'object') {
    if (!isPlainObject(value)) {
      throw new ParamEncodingError(`parameter ${name}: only strings, numbers, booleans, lists and plain objects`);
    }
    for (const [key, field] of Object.entries(value)) encodeInto(out, `${name}.${key}`, field);
    return;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out[name] = encodeScalar(name, value);
    return;
  }
  throw new ParamEncodingError(`parameter ${name}: cannot encode a ${typeof value}`);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Flattens typed request parameters into the string map an RPC call sends.
 * Top-level plain objects are refused: the API decides whether an object is a repeat list entry
 * (put it in a list) or a JSON document (wrap it in `asJson()`), so the caller must say which.
 */
export function encodeRpcParams(params: RpcParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(name)) {
      throw new ParamEncodingError(`parameter name "${name}" is not an RPC parameter name`);
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof JsonParam)) {
      throw new ParamEncodingError(
        `parameter ${name}: a nested object must be a list item (${name}: [{...}]) or a JSON string (asJson(...))`,
      );
    }
    encodeInto(out, name, value);
  }
  return out;
}
