import { randomBytes } from 'node:crypto';
import type { EmulatorContext, ResourceRecord, RpcHandler } from '../../core/contract';
import { parseRequestConfig, parseServiceConfig } from './api-configs';
import { dependencyViolation, invalidFormat, invalidParameter, repeated } from './errors';
import { Params, paginate } from './params';
import {
  API,
  STAGES,
  apiAttrs,
  groupAttrs,
  isoSeconds,
  requireApi,
  requireGroup,
  requireGroupOnRunningInstance,
} from './records';
import type { ApiAttrs, Deployment, StageName } from './records';

function jsonArrayParam(p: Params, name: string): void {
  const text = p.optional(name);
  if (text === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidFormat(name, `not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(parsed)) throw invalidFormat(name, 'expected a JSON array');
}

export const createApi: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const groupId = p.required('GroupId');
  const apiName = p.required('ApiName');
  if (!/^[A-Za-z][A-Za-z0-9_]{3,49}$/.test(apiName)) {
    throw invalidParameter('ApiName', 'start with a letter; use 4-50 letters, digits or "_"');
  }
  const visibility = p.oneOf('Visibility', ['PUBLIC', 'PRIVATE'] as const);
  const authType = p.oneOf('AuthType', ['APP', 'ANONYMOUS', 'APPOPENID'] as const, 'APP');
  const resultType = p.oneOf('ResultType', ['JSON', 'TEXT', 'BINARY', 'XML', 'HTML', 'PASSTHROUGH'] as const, 'JSON');
  const requestConfig = parseRequestConfig(p.jsonObject('RequestConfig'));
  const serviceConfig = parseServiceConfig(ctx.store, req.region, p.jsonObject('ServiceConfig'), requestConfig);
  for (const name of ['RequestParameters', 'ServiceParameters', 'ServiceParametersMap', 'ErrorCodeSamples']) {
    jsonArrayParam(p, name);
  }
  requireGroup(ctx.store, groupId, req.region);
  if (ctx.store.list(API, (api) => apiAttrs(api).groupId === groupId && apiAttrs(api).apiName === apiName).length) {
    throw repeated('ApiName', apiName);
  }
  const apiId = randomBytes(16).toString('hex');
  const attrs: ApiAttrs = {
    groupId,
    apiName,
    description: p.optional('Description') ?? '',
    visibility,
    authType,
    resultType,
    requestConfig,
    serviceConfig,
    deployedStages: {},
    modifiedAt: new Date(ctx.now()).toISOString(),
  };
  ctx.store.insert({
    product: 'cloudapi',
    type: API,
    id: apiId,
    region: req.region,
    name: apiName,
    status: 'NORMAL',
    attrs: { ...attrs },
  });
  return { ApiId: apiId };
};

function deployedInfos(a: ApiAttrs): { DeployedInfo: Record<string, unknown>[] } {
  return {
    DeployedInfo: STAGES.map((stage) => {
      const deployment = a.deployedStages[stage];
      return {
        StageName: stage,
        DeployedStatus: deployment ? 'DEPLOYED' : 'NONDEPLOYED',
        EffectiveVersion: deployment?.effectiveVersion ?? '',
      };
    }),
  };
}

function groupNameOf(ctx: EmulatorContext, groupId: string): string {
  const group = ctx.store.get('ApiGroup', groupId);
  return group ? groupAttrs(group).groupName : '';
}

function apiSummary(ctx: EmulatorContext, r: ResourceRecord): Record<string, unknown> {
  const a = apiAttrs(r);
  return {
    ApiId: r.id,
    ApiName: a.apiName,
    GroupId: a.groupId,
    GroupName: groupNameOf(ctx, a.groupId),
    Visibility: a.visibility,
    Description: a.description,
    RegionId: r.region,
    ApiPath: a.requestConfig.RequestPath,
    ApiMethod: a.requestConfig.RequestHttpMethod,
    CreatedTime: isoSeconds(r.createdAt),
    ModifiedTime: isoSeconds(a.modifiedAt),
    DeployedInfos: deployedInfos(a),
    TagList: { Tag: [] },
  };
}

export const describeApis: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const groupId = p.optional('GroupId');
  const apiId = p.optional('ApiId');
  const apiName = p.optional('ApiName');
  const apiPath = p.optional('ApiPath');
  const apiMethod = p.optional('ApiMethod')?.toUpperCase();
  const visibility = p.optional('Visibility');
  const stageName = p.optional('StageName') as StageName | undefined;
  if (stageName !== undefined) p.oneOf('StageName', STAGES);
  const unDeployed = p.bool('UnDeployed');
  const page = p.page(100);
  const matching = ctx.store.list(API, (r) => {
    const a = apiAttrs(r);
    const deployedInStage = stageName ? a.deployedStages[stageName] !== undefined : true;
    return (
      r.region === req.region &&
      (groupId === undefined || a.groupId === groupId) &&
      (apiId === undefined || r.id === apiId) &&
      (apiName === undefined || a.apiName.includes(apiName)) &&
      (apiPath === undefined || a.requestConfig.RequestPath === apiPath) &&
      (apiMethod === undefined || a.requestConfig.RequestHttpMethod === apiMethod) &&
      (visibility === undefined || a.visibility === visibility) &&
      (unDeployed === undefined || unDeployed === !deployedInStage)
    );
  });
  return {
    ApiSummarys: { ApiSummary: paginate(matching, page).map((r) => apiSummary(ctx, r)) },
    TotalCount: matching.length,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
  };
};

function requireApiInGroup(ctx: EmulatorContext, p: Params, region: string): ResourceRecord {
  const api = requireApi(ctx.store, p.required('ApiId'), region);
  const groupId = p.optional('GroupId');
  if (groupId !== undefined && apiAttrs(api).groupId !== groupId) {
    throw invalidParameter('GroupId', `API ${api.id} belongs to group ${apiAttrs(api).groupId}, not ${groupId}`);
  }
  return api;
}

export const describeApi: RpcHandler = (req, ctx) => {
  const api = requireApiInGroup(ctx, new Params(req.params), req.region);
  const a = apiAttrs(api);
  return {
    ...apiSummary(ctx, api),
    AuthType: a.authType,
    ResultType: a.resultType,
    ResultSample: '',
    FailResultSample: '',
    AllowSignatureMethod: 'HmacSHA256',
    ForceNonceCheck: false,
    DisableInternet: false,
    WebSocketApiType: 'COMMON',
    Mock: 'CLOSED',
    RequestConfig: a.requestConfig,
    ServiceConfig: { ...a.serviceConfig, Mock: 'FALSE' },
    RequestParameters: { RequestParameter: [] },
    ServiceParameters: { ServiceParameter: [] },
    ServiceParametersMap: { ServiceParameterMap: [] },
    SystemParameters: { SystemParameter: [] },
    ConstantParameters: { ConstantParameter: [] },
    CustomSystemParameters: { CustomSystemParameter: [] },
    ErrorCodeSamples: { ErrorCodeSample: [] },
  };
};

/** `20220103170737313`: DescribeApis' EffectiveVersion format. */
function effectiveVersion(now: number): string {
  return new Date(now).toISOString().replace(/\D/g, '').slice(0, 17);
}

export const deployApi: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const api = requireApiInGroup(ctx, p, req.region);
  const stage = p.oneOf('StageName', STAGES);
  const description = p.required('Description');
  const a = apiAttrs(api);
  requireGroupOnRunningInstance(ctx.store, a.groupId, req.region, 'DeployApi');
  const deployment: Deployment = {
    deployedAt: new Date(ctx.now()).toISOString(),
    description,
    effectiveVersion: effectiveVersion(ctx.now()),
    requestConfig: a.requestConfig,
    serviceConfig: a.serviceConfig,
    authType: a.authType,
  };
  ctx.store.update(API, api.id, { attrs: { deployedStages: { ...a.deployedStages, [stage]: deployment } } });
  return {};
};

/** Takes the API offline in one stage; abolishing a stage it is not deployed to changes nothing. */
export const abolishApi: RpcHandler = (req, ctx) => {
  const p = new Params(req.params);
  const api = requireApiInGroup(ctx, p, req.region);
  const stage = p.oneOf('StageName', STAGES);
  const a = apiAttrs(api);
  requireGroupOnRunningInstance(ctx.store, a.groupId, req.region, 'AbolishApi');
  const remaining = { ...a.deployedStages };
  delete remaining[stage];
  ctx.store.update(API, api.id, { attrs: { deployedStages: remaining } });
  return {};
};

export const deleteApi: RpcHandler = (req, ctx) => {
  const api = requireApiInGroup(ctx, new Params(req.params), req.region);
  const stages = Object.keys(apiAttrs(api).deployedStages);
  if (stages.length > 0) {
    throw dependencyViolation(
      'Deployment',
      `The API ${api.id} is still deployed to ${stages.join(', ')}; take it offline with AbolishApi first.`,
    );
  }
  ctx.store.remove(API, api.id);
  return {};
};
