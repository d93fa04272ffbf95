import { randomUUID } from 'node:crypto';
import { ApiError } from '../../core/contract';
import type { EmulatorContext, ResourceRecord, RoaHandler, RoaRequest, RoaResponse } from '../../core/contract';
import { crc64 } from './crc64';
import { readSecurityGroup, readVSwitch, readVpc } from './network-records';
import { FUNCTION, functionAttrs } from './records';
import type { FunctionAttrs, FunctionVpcConfig } from './records';
import { checkFunctionRole } from './role-access';
import { isUnsafeEntryName, readZip, ZipFormatError } from './zip';

/*
 * FC 3.0 function CRUD (JSON camelCase as the 2023-03-30 reference). Errors use FC's codes:
 * InvalidArgument 400, AccessDenied 403, FunctionNotFound 404, FunctionAlreadyExists 409.
 */

export const RUNTIMES = [
  'python3.12',
  'python3.10',
  'python3.9',
  'python3',
  'nodejs20',
  'nodejs18',
  'nodejs16',
  'nodejs14',
  'java11',
  'java8',
  'go1',
  'php7.2',
  'dotnetcore3.1',
  'custom',
  'custom.debian10',
  'custom.debian11',
  'custom-container',
];

const invalid = (message: string): ApiError => new ApiError(400, 'InvalidArgument', message);

export function functionNotFound(name: string): ApiError {
  return new ApiError(404, 'FunctionNotFound', `function '${name}' does not exist`);
}

/** The function named in the path, in the request's region. */
export function requireFunction(ctx: EmulatorContext, req: RoaRequest): ResourceRecord {
  const name = req.pathParams.functionName ?? '';
  const record = ctx.store.get(FUNCTION, name);
  if (!record || record.region !== req.region) throw functionNotFound(name);
  return record;
}

function parseBody(req: RoaRequest): Record<string, unknown> {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${name} must be a string`);
  return value;
}

function optionalInt(body: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseCode(
  body: Record<string, unknown>,
): { code: string; codeSize: number; codeChecksum: string } | undefined {
  const code = body.code;
  if (code === undefined || code === null) return undefined;
  if (typeof code !== 'object' || Array.isArray(code)) throw invalid('code must be an object {zipFile}');
  const location = code as Record<string, unknown>;
  if (location.ossBucketName !== undefined || location.ossObjectName !== undefined) {
    throw invalid(
      'code.ossBucketName/ossObjectName: OSS code locations are not modelled by this emulator; send code.zipFile',
    );
  }
  const zipFile = location.zipFile;
  if (typeof zipFile !== 'string' || zipFile === '') throw invalid('code.zipFile (base64 ZIP) is required');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(zipFile)) throw invalid('code.zipFile is not valid base64');
  const zip = Buffer.from(zipFile, 'base64');
  try {
    const unsafe = readZip(zip).find((entry) => isUnsafeEntryName(entry.name));
    if (unsafe) throw invalid(`code.zipFile entry '${unsafe.name}' points outside the code directory`);
  } catch (error) {
    if (error instanceof ZipFormatError) throw invalid(`code.zipFile is not a usable ZIP: ${error.message}`);
    throw error;
  }
  const codeChecksum = crc64(zip);
  if (typeof location.checksum === 'string' && location.checksum !== codeChecksum) {
    throw invalid(`code.checksum ${location.checksum} does not match the package's CRC-64 ${codeChecksum}`);
  }
  return { code: zipFile, codeSize: zip.length, codeChecksum };
}

function parseEnvironment(body: Record<string, unknown>): Record<string, string> | undefined {
  const env = body.environmentVariables;
  if (env === undefined || env === null) return undefined;
  if (typeof env !== 'object' || Array.isArray(env)) throw invalid('environmentVariables must be an object of strings');
  for (const [key, value] of Object.entries(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw invalid(`environmentVariables key '${key}' is not a valid name`);
    if (typeof value !== 'string') throw invalid(`environmentVariables.${key} must be a string`);
  }
  if (JSON.stringify(env).length > 4096) throw invalid('environmentVariables exceed 4 KB');
  return env as Record<string, string>;
}

/** vpcConfig: every id must exist in the function's region, be Available and belong to the same VPC. */
function parseVpcConfig(
  ctx: EmulatorContext,
  region: string,
  body: Record<string, unknown>,
): FunctionVpcConfig | null | undefined {
  const raw = body.vpcConfig;
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid('vpcConfig must be an object');
  const config = raw as Record<string, unknown>;
  if (config.vpcId === undefined || config.vpcId === '') return null;
  const { vpcId, vSwitchIds, securityGroupId } = config;
  if (typeof vpcId !== 'string') throw invalid('vpcConfig.vpcId must be a string');
  if (!Array.isArray(vSwitchIds) || vSwitchIds.length === 0 || vSwitchIds.some((v) => typeof v !== 'string')) {
    throw invalid('vpcConfig.vSwitchIds must be a non-empty array of vSwitch ids');
  }
  if (typeof securityGroupId !== 'string' || securityGroupId === '') {
    throw invalid('vpcConfig.securityGroupId is required with vpcConfig.vpcId');
  }
  const vpc = readVpc(ctx.store, vpcId);
  if (!vpc || vpc.region !== region) throw invalid(`vpcConfig.vpcId: VPC ${vpcId} does not exist in ${region}`);
  if (vpc.status !== 'Available') throw invalid(`vpcConfig.vpcId: VPC ${vpcId} is ${vpc.status}, not Available`);
  for (const id of vSwitchIds as string[]) {
    const vSwitch = readVSwitch(ctx.store, id);
    if (!vSwitch || vSwitch.region !== region)
      throw invalid(`vpcConfig.vSwitchIds: vSwitch ${id} does not exist in ${region}`);
    if (vSwitch.vpcId !== vpcId)
      throw invalid(`vpcConfig.vSwitchIds: vSwitch ${id} belongs to ${vSwitch.vpcId ?? 'no VPC'}, not ${vpcId}`);
    if (vSwitch.status !== 'Available')
      throw invalid(`vpcConfig.vSwitchIds: vSwitch ${id} is ${vSwitch.status}, not Available`);
  }
  const sg = readSecurityGroup(ctx.store, securityGroupId);
  if (!sg || sg.region !== region)
    throw invalid(`vpcConfig.securityGroupId: security group ${securityGroupId} does not exist in ${region}`);
  if (sg.vpcId !== vpcId) {
    throw invalid(
      `vpcConfig.securityGroupId: security group ${securityGroupId} belongs to ${sg.vpcId ?? 'no VPC'}, not ${vpcId}`,
    );
  }
  return { vpcId, vSwitchIds: [...(vSwitchIds as string[])], securityGroupId };
}

/** The fields create and update share; `existing` supplies what an update leaves out. */
function parseConfiguration(
  ctx: EmulatorContext,
  req: RoaRequest,
  body: Record<string, unknown>,
  existing?: FunctionAttrs,
): Omit<FunctionAttrs, 'functionId' | 'lastModifiedTime' | 'lastUpdateStatus' | 'updateDoneAt'> {
  const runtime = optionalString(body, 'runtime') ?? existing?.runtime;
  if (!runtime) throw invalid('runtime is required');
  if (!RUNTIMES.includes(runtime))
    throw invalid(`runtime '${runtime}' is not supported; use one of ${RUNTIMES.join(', ')}`);
  const handler = optionalString(body, 'handler') ?? existing?.handler;
  if (!handler || /\s/.test(handler)) throw invalid('handler is required, e.g. index.handler');
  const code =
    parseCode(body) ??
    (existing && { code: existing.code, codeSize: existing.codeSize, codeChecksum: existing.codeChecksum });
  if (!code) throw invalid('code is required: {"zipFile": "<base64 ZIP>"}');
  const memorySize = optionalInt(body, 'memorySize', 128, 32768) ?? existing?.memorySize ?? 512;
  if (memorySize % 64 !== 0) throw invalid(`memorySize must be a multiple of 64, got ${memorySize}`);
  const diskSize = optionalInt(body, 'diskSize', 512, 10240) ?? existing?.diskSize ?? 512;
  if (diskSize !== 512 && diskSize !== 10240) throw invalid(`diskSize must be 512 or 10240, got ${diskSize}`);
  const description = optionalString(body, 'description') ?? existing?.description ?? '';
  if (description.length > 256) throw invalid('description is longer than 256 characters');
  const internetAccess = body.internetAccess ?? existing?.internetAccess ?? true;
  if (typeof internetAccess !== 'boolean') throw invalid('internetAccess must be a boolean');
  const cpu = body.cpu ?? existing?.cpu ?? 0.35;
  if (typeof cpu !== 'number' || cpu <= 0) throw invalid('cpu must be a positive number of vCPUs');

  const vpcUpdate = parseVpcConfig(ctx, req.region, body);
  const vpcConfig = vpcUpdate === undefined ? existing?.vpcConfig : (vpcUpdate ?? undefined);
  const role = body.role === undefined ? existing?.role : optionalString(body, 'role') || undefined;
  if (vpcConfig && !role)
    throw invalid('role is required with vpcConfig: FC assumes it to create network interfaces in the VPC');
  if (role) checkFunctionRole(ctx.store, ctx.accountId, role, vpcConfig !== undefined);

  return {
    runtime,
    handler,
    ...code,
    role,
    vpcConfig,
    internetAccess,
    environmentVariables: parseEnvironment(body) ?? existing?.environmentVariables ?? {},
    timeout: optionalInt(body, 'timeout', 1, 86400) ?? existing?.timeout ?? 3,
    memorySize,
    cpu,
    diskSize,
    instanceConcurrency: optionalInt(body, 'instanceConcurrency', 1, 200) ?? existing?.instanceConcurrency ?? 1,
    description,
  };
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function functionJson(r: ResourceRecord, ctx: EmulatorContext): Record<string, unknown> {
  const a = functionAttrs(r);
  const updating = a.lastUpdateStatus === 'InProgress' && ctx.now() < a.updateDoneAt;
  const pending = r.status === 'Pending';
  return {
    functionId: a.functionId,
    functionName: r.id,
    functionArn: `acs:fc:${r.region}:${ctx.accountId}:functions/${r.id}`,
    description: a.description,
    runtime: a.runtime,
    handler: a.handler,
    role: a.role ?? '',
    vpcConfig: a.vpcConfig
      ? { vpcId: a.vpcConfig.vpcId, vSwitchIds: a.vpcConfig.vSwitchIds, securityGroupId: a.vpcConfig.securityGroupId }
      : { vpcId: '', vSwitchIds: [], securityGroupId: '' },
    internetAccess: a.internetAccess,
    timeout: a.timeout,
    memorySize: a.memorySize,
    cpu: a.cpu,
    diskSize: a.diskSize,
    instanceConcurrency: a.instanceConcurrency,
    codeSize: a.codeSize,
    codeChecksum: a.codeChecksum,
    environmentVariables: a.environmentVariables,
    layers: [],
    createdTime: isoSeconds(Date.parse(r.createdAt)),
    lastModifiedTime: a.lastModifiedTime,
    state: r.status,
    stateReason: pending ? 'Function creating' : '',
    stateReasonCode: pending ? 'Creating' : '',
    lastUpdateStatus: updating ? 'InProgress' : 'Successful',
    lastUpdateStatusReason: updating ? 'The function is being updated' : '',
    lastUpdateStatusReasonCode: updating ? 'Updating' : '',
  };
}

const ok = (req: RoaRequest, body: unknown, status = 200): RoaResponse => ({
  status,
  headers: { 'x-fc-request-id': req.requestId },
  body,
});

export const createFunction: RoaHandler = (req, ctx) => {
  const body = parseBody(req);
  const name = optionalString(body, 'functionName');
  if (!name) throw invalid('functionName is required');
  if (!/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/.test(name)) {
    throw invalid(`functionName '${name}' must be 1-64 letters, digits, "_" or "-", not starting with a digit or "-"`);
  }
  if (ctx.store.get(FUNCTION, name)) {
    throw new ApiError(409, 'FunctionAlreadyExists', `function '${name}' already exists`);
  }
  const configuration = parseConfiguration(ctx, req, body);
  const attrs: FunctionAttrs = {
    ...configuration,
    functionId: randomUUID(),
    lastModifiedTime: isoSeconds(ctx.now()),
    lastUpdateStatus: 'Successful',
    updateDoneAt: ctx.now(),
  };
  const record = ctx.store.insert({
    product: 'fc',
    type: FUNCTION,
    id: name,
    region: req.region,
    name,
    status: 'Pending',
    attrs: { ...attrs },
  });
  ctx.store.schedule(FUNCTION, name, [{ status: 'Active', after: 'fc.create' }]);
  return ok(req, functionJson(record, ctx));
};

export const getFunction: RoaHandler = (req, ctx) => ok(req, functionJson(requireFunction(ctx, req), ctx));

export const listFunctions: RoaHandler = (req, ctx) => {
  const prefix = req.query.prefix ?? '';
  const limit = req.query.limit === undefined ? 20 : Number(req.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalid(`limit must be 1..100, got ${req.query.limit}`);
  const after = req.query.nextToken ? Buffer.from(req.query.nextToken, 'base64').toString('utf8') : '';
  const names = ctx.store
    .list(FUNCTION, (r) => r.region === req.region && r.id.startsWith(prefix) && r.id > after)
    .sort((x, y) => x.id.localeCompare(y.id));
  const page = names.slice(0, limit);
  const last = page.at(-1);
  return ok(req, {
    functions: page.map((r) => functionJson(r, ctx)),
    ...(names.length > limit && last ? { nextToken: Buffer.from(last.id).toString('base64') } : {}),
  });
};

export const updateFunction: RoaHandler = (req, ctx) => {
  const record = requireFunction(ctx, req);
  const body = parseBody(req);
  if (body.functionName !== undefined && body.functionName !== record.id) {
    throw invalid('functionName cannot be changed');
  }
  const configuration = parseConfiguration(ctx, req, body, functionAttrs(record));
  const updated = ctx.store.update(FUNCTION, record.id, {
    attrs: {
      ...configuration,
      lastModifiedTime: isoSeconds(ctx.now()),
      lastUpdateStatus: 'InProgress',
      updateDoneAt: ctx.now() + ctx.timing('fc.create'),
    },
  });
  return ok(req, functionJson(updated, ctx));
};

export const deleteFunction: RoaHandler = (req, ctx) => {
  const record = requireFunction(ctx, req);
  ctx.store.remove(FUNCTION, record.id);
  return { status: 204, headers: { 'x-fc-request-id': req.requestId } };
};
