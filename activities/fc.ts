import { FUNCTION_HANDLER, functionCodeZipBase64 } from './assets';
import type { CloudClients } from './cloud';
import { isAlibabaCloudError } from './cloud/errors';
import type { FcFunction } from './cloud/fc';
import { trustPolicyFor } from './cloud/ram';
import type { Activities, InvocationResult } from './contract';
import {
  alreadyExistsIsDone,
  deleteCall,
  deleteUntilGone,
  unlessNotFound,
  waitForStatus,
  type ActivityOptions,
} from './common';
import { runStep, stepRefused } from './failures';
import { ActivityProgress, waitUntil, type HeartbeatState } from './progress';

type FcActivities = Pick<
  Activities,
  'createFcRole' | 'createFunction' | 'waitFunctionActive' | 'invokeFunction' | 'deleteFunction' | 'deleteFcRole'
>;

/** A new RAM role takes up to ~2 min to reach FC; meanwhile FC answers AccessDenied-like errors. */
const ROLE_PROPAGATION_MS = 3 * 60_000;

/** The answer index.py returns (see activities/assets/fc-function/index.py). */
interface FunctionAnswer {
  status: number | null;
  body: string | null;
  error?: { kind: string; message: string };
}

/** Runbook steps 5-7 (Scenario 1) / 8-10 (Scenario 2): the role, the function in the VPC, the test call. */
export function fcActivities(clients: Pick<CloudClients, 'fc' | 'ram'>, options: ActivityOptions): FcActivities {
  const { fc, ram } = clients;

  return {
    createFcRole: (input) =>
      runStep('createFcRole', async () => {
        const existing = await unlessNotFound(() => ram.getRole({ RoleName: input.roleName }));
        let role = existing?.Role;
        if (!role) {
          try {
            role = (
              await ram.createRole({
                RoleName: input.roleName,
                AssumeRolePolicyDocument: trustPolicyFor('fc.aliyuncs.com'),
                Description: 'fc-apigw-vpc: lets Function Compute attach ENIs in the VPC',
              })
            ).Role;
          } catch (error) {
            if (!(isAlibabaCloudError(error) && (error.isAlreadyExists || error.outcomeUnknown))) throw error;
            role = (await ram.getRole({ RoleName: input.roleName })).Role;
          }
        }
        await alreadyExistsIsDone(() =>
          ram.attachPolicyToRole({
            PolicyType: 'System',
            PolicyName: input.policyName,
            RoleName: input.roleName,
          }),
        );
        return { roleName: role.RoleName, roleArn: role.Arn };
      }),

    createFunction: (input) =>
      runStep('createFunction', async () => {
        const environmentVariables = { API_URL: input.apiUrl };
        const existing = await unlessNotFound(() => fc.getFunction(input.region, input.name));
        if (existing) {
          if (existing.environmentVariables?.API_URL !== input.apiUrl) {
            await fc.updateFunction(input.region, input.name, { environmentVariables });
          }
          return { region: input.region, functionName: existing.functionName };
        }
        const create = async (): Promise<FcFunction> => {
          try {
            return await fc.createFunction(input.region, {
              functionName: input.name,
              runtime: input.runtime,
              handler: FUNCTION_HANDLER,
              code: { zipFile: functionCodeZipBase64() },
              role: input.roleArn,
              vpcConfig: { vpcId: input.vpcId, vSwitchIds: input.vSwitchIds, securityGroupId: input.securityGroupId },
              description: 'fc-apigw-vpc: calls the API group over its VPC subdomain',
              memorySize: input.memoryMb,
              timeout: input.timeoutSeconds,
              environmentVariables,
              internetAccess: false,
            });
          } catch (error) {
            if (isAlibabaCloudError(error) && (error.isAlreadyExists || error.outcomeUnknown)) {
              const settled = await unlessNotFound(() => fc.getFunction(input.region, input.name));
              if (settled) return settled;
            }
            throw error;
          }
        };
        const created = await waitUntil({
          what: `FC to accept role ${input.roleArn}`,
          step: 'createFunction',
          intervalMs: options.pollIntervalMs,
          timeoutMs: ROLE_PROPAGATION_MS,
          progress: new ActivityProgress<HeartbeatState>(),
          check: async () => {
            try {
              return { done: true, value: await create() };
            } catch (error) {
              if (isAlibabaCloudError(error) && error.kind === 'permission') {
                return { done: false, state: `${error.code} (RequestId ${error.requestId ?? 'n/a'})` };
              }
              throw error;
            }
          },
        });
        return { region: input.region, functionName: created.functionName };
      }),

    waitFunctionActive: (ref) =>
      runStep('waitFunctionActive', async () => {
        await waitForStatus({
          step: 'waitFunctionActive',
          what: `function ${ref.functionName} to become Active`,
          read: () => unlessNotFound(() => fc.getFunction(ref.region, ref.functionName)),
          status: (f) =>
            f.state === 'Active' && f.lastUpdateStatus === 'InProgress' ? 'Active (updating)' : (f.state ?? 'Pending'),
          ready: ['Active'],
          failed: ['Failed'],
          timeoutMs: options.timeouts.function,
          options,
        });
        return ref;
      }),

    invokeFunction: (ref) =>
      runStep('invokeFunction', async (): Promise<InvocationResult> => {
        const response = await fc.invokeFunction(ref.region, ref.functionName, { payload: {}, invocationType: 'Sync' });
        const text = response.body.toString('utf8');
        const base = { region: ref.region, functionName: ref.functionName };
        if (response.functionErrorType) {
          return { ...base, status: 0, body: text, error: `function:${response.functionErrorType}` };
        }
        const answer = parseAnswer(text);
        if (!answer) {
          throw stepRefused(
            'invokeFunction',
            'UnexpectedFunctionAnswer',
            `the function answered something that is not its JSON: ${text.slice(0, 200)}`,
          );
        }
        return {
          ...base,
          status: answer.status ?? 0,
          body: answer.body ?? '',
          ...(answer.error && answer.error.kind !== 'http' ? { error: answer.error.kind } : {}),
        };
      }),

    deleteFunction: (item) =>
      runStep('deleteFunction', () =>
        deleteUntilGone({
          step: 'deleteFunction',
          what: `function ${item.id}`,
          call: () => fc.deleteFunction(item.region, item.id),
          state: async () =>
            (await unlessNotFound(() => fc.getFunction(item.region, item.id))) ? 'present' : undefined,
          options,
        }),
      ),

    deleteFcRole: (item) =>
      runStep('deleteFcRole', async () => {
        await deleteCall(() =>
          ram.detachPolicyFromRole({ PolicyType: 'System', PolicyName: item.policyName, RoleName: item.name }),
        );
        return deleteUntilGone({
          step: 'deleteFcRole',
          what: `RAM role ${item.name}`,
          call: () => ram.deleteRole({ RoleName: item.name }),
          state: async () =>
            (await unlessNotFound(() => ram.getRole({ RoleName: item.name }))) ? 'present' : undefined,
          options,
        });
      }),
  };
}

function parseAnswer(text: string): FunctionAnswer | undefined {
  try {
    // FC's python runtime returns the handler's string; some runtimes wrap it in JSON quotes once more.
    let parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'string') parsed = JSON.parse(parsed);
    if (parsed && typeof parsed === 'object' && 'status' in parsed) return parsed as FunctionAnswer;
  } catch {
    // not JSON: reported by the caller
  }
  return undefined;
}
