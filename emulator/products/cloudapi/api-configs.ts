import type { ResourceStore } from '../../core/contract';
import { invalidParameter, notFound } from './errors';
import { VPC_ACCESS, vpcAccessAttrs } from './records';
import type { RequestConfig, ServiceConfig, VpcConfig } from './records';

/*
 * Validation of CreateApi's JSON-string parameters (RequestConfig, ServiceConfig) into the typed
 * definitions the gateway serves. Messages name the JSON field so a wrong config is easy to fix.
 */

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY'];

function field(obj: Record<string, unknown>, name: string): string | undefined {
  const value = obj[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function requiredField(param: string, obj: Record<string, unknown>, name: string): string {
  const value = field(obj, name);
  if (value === undefined) throw invalidParameter(param, `${name} is required in ${param}`);
  return value;
}

function method(param: string, name: string, value: string): string {
  const upper = value.toUpperCase();
  if (!HTTP_METHODS.includes(upper)) {
    throw invalidParameter(param, `${name} '${value}' is not one of ${HTTP_METHODS.join(', ')}`);
  }
  return upper;
}

function path(param: string, name: string, value: string): string {
  if (!value.startsWith('/')) throw invalidParameter(param, `${name} '${value}' must start with "/"`);
  return value;
}

export function parseRequestConfig(raw: Record<string, unknown>): RequestConfig {
  const P = 'RequestConfig';
  const protocols = requiredField(P, raw, 'RequestProtocol')
    .split(',')
    .map((s) => s.trim().toUpperCase());
  if (protocols.some((proto) => proto !== 'HTTP' && proto !== 'HTTPS')) {
    throw invalidParameter(P, `RequestProtocol '${String(raw.RequestProtocol)}' must be HTTP, HTTPS or "HTTP,HTTPS"`);
  }
  const mode = (field(raw, 'RequestMode') ?? 'MAPPING').toUpperCase();
  if (!['MAPPING', 'PASSTHROUGH', 'MAPPING_PASSTHROUGH'].includes(mode)) {
    throw invalidParameter(P, `RequestMode '${mode}' must be MAPPING or PASSTHROUGH`);
  }
  return {
    ...raw,
    RequestProtocol: protocols.join(','),
    RequestHttpMethod: method(P, 'RequestHttpMethod', requiredField(P, raw, 'RequestHttpMethod')),
    RequestPath: path(P, 'RequestPath', requiredField(P, raw, 'RequestPath')),
    RequestMode: mode,
  };
}

function parseVpcConfig(store: ResourceStore, region: string, raw: unknown): VpcConfig {
  const P = 'ServiceConfig';
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw invalidParameter(P, 'VpcConfig {Name, ...} is required when ServiceVpcEnable is TRUE');
  }
  const config = raw as Record<string, unknown>;
  const name = requiredField(P, config, 'Name');
  const access = store.get(VPC_ACCESS, name);
  if (!access || access.region !== region) throw notFound('VpcAccess', 'VpcConfig.Name', name);
  const a = vpcAccessAttrs(access);
  const mismatch = (key: string, given: string | undefined, actual: string) => {
    if (given !== undefined && given !== actual) {
      throw invalidParameter(P, `VpcConfig.${key} '${given}' does not match VPC authorization '${name}' (${actual})`);
    }
  };
  mismatch('VpcId', field(config, 'VpcId'), a.vpcId);
  mismatch('InstanceId', field(config, 'InstanceId'), a.instanceId);
  mismatch('Port', field(config, 'Port'), String(a.port));
  return {
    Name: name,
    VpcId: a.vpcId,
    InstanceId: a.instanceId,
    Port: a.port,
    VpcScheme: field(config, 'VpcScheme') ?? 'HTTP',
  };
}

export function parseServiceConfig(
  store: ResourceStore,
  region: string,
  raw: Record<string, unknown>,
  request: RequestConfig,
): ServiceConfig {
  const P = 'ServiceConfig';
  const protocol = (field(raw, 'ServiceProtocol') ?? 'HTTP').toUpperCase();
  if (protocol !== 'HTTP' && protocol !== 'HTTPS') {
    throw invalidParameter(P, `ServiceProtocol '${protocol}' is not modelled by this emulator; use HTTP or HTTPS`);
  }
  if ((field(raw, 'Mock') ?? 'FALSE').toUpperCase() === 'TRUE') {
    throw invalidParameter(P, 'Mock TRUE is not modelled by this emulator; use a real (VPC) backend');
  }
  const vpcEnable = (field(raw, 'ServiceVpcEnable') ?? 'FALSE').toUpperCase();
  if (vpcEnable !== 'TRUE' && vpcEnable !== 'FALSE') {
    throw invalidParameter(P, `ServiceVpcEnable '${vpcEnable}' must be TRUE or FALSE`);
  }
  const timeout = Number(field(raw, 'ServiceTimeout') ?? 10000);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 120000) {
    throw invalidParameter(P, `ServiceTimeout '${String(raw.ServiceTimeout)}' must be 1..120000 (milliseconds)`);
  }
  const config: ServiceConfig = {
    ...raw,
    ServiceProtocol: protocol,
    ServiceHttpMethod: method(P, 'ServiceHttpMethod', field(raw, 'ServiceHttpMethod') ?? request.RequestHttpMethod),
    ServicePath: path(P, 'ServicePath', requiredField(P, raw, 'ServicePath')),
    ServiceTimeout: timeout,
    ServiceVpcEnable: vpcEnable,
  };
  if (vpcEnable === 'TRUE') {
    config.VpcConfig = parseVpcConfig(store, region, raw.VpcConfig);
  } else {
    const address = requiredField(P, raw, 'ServiceAddress');
    if (!/^https?:\/\/[^/]+$/.test(address)) {
      throw invalidParameter(P, `ServiceAddress '${address}' must look like http://host:port (no path)`);
    }
    config.ServiceAddress = address;
  }
  return config;
}
