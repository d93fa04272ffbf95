import type { CloudClients } from './cloud';
import { items } from './cloud/lists';
import type {
  Activities,
  Inventory,
  InventoryItemOf,
  InventoryKind,
  ReachabilityCheck,
  ReachabilityDiagnosis,
} from './contract';
import { unlessNotFound } from './common';
import { runStep } from './failures';

type VerifyClients = Pick<CloudClients, 'vpc' | 'ecs' | 'cloudapi' | 'ram' | 'cbn' | 'fc'>;

function first<K extends InventoryKind>(inventory: Inventory, kind: K): InventoryItemOf<K> | undefined {
  return inventory.find((item): item is InventoryItemOf<K> => item.kind === kind);
}

function all<K extends InventoryKind>(inventory: Inventory, kind: K): InventoryItemOf<K>[] {
  return inventory.filter((item): item is InventoryItemOf<K> => item.kind === kind);
}

/**
 * Why did the function not get the backend's answer? Describes every resource on the path
 * (notes/alibaba-apis.md "Reachability the final test depends on") and names each link that is missing,
 * in chain order from the function to the backend. Read-only.
 */
export function verifyActivities(clients: VerifyClients): Pick<Activities, 'diagnoseReachability'> {
  return {
    diagnoseReachability: (input) =>
      runStep('diagnoseReachability', async (): Promise<ReachabilityDiagnosis> => {
        const { inventory } = input;
        const checks: ReachabilityCheck[] = [];
        const check = async (link: string, probe: () => Promise<{ ok: boolean; detail: string }>) => {
          try {
            checks.push({ link, ...(await probe()) });
          } catch (error) {
            checks.push({ link, ok: false, detail: `could not check: ${(error as Error).message}` });
          }
        };
        const missing = (what: string) => async () => ({ ok: false, detail: `${what} is not in the run's inventory` });

        const fn = first(inventory, 'fcFunction');
        let functionVpcId: string | undefined;
        await check(
          'function Active in its VPC',
          fn
            ? async () => {
                const f = await unlessNotFound(() => clients.fc.getFunction(fn.region, fn.id));
                functionVpcId = f?.vpcConfig?.vpcId;
                if (!f) return { ok: false, detail: `function ${fn.id} does not exist in ${fn.region}` };
                const ok = f.state === 'Active' && !!functionVpcId;
                return { ok, detail: `state ${f.state ?? '?'}, VPC ${functionVpcId ?? 'none (no vpcConfig)'}` };
              }
            : missing('the function'),
        );

        const role = first(inventory, 'ramRole');
        await check(
          'function role may attach ENIs',
          role
            ? async () => {
                const policies = items((await clients.ram.listPoliciesForRole({ RoleName: role.name })).Policies);
                const ok = policies.some((p) => p.PolicyName === role.policyName);
                return {
                  ok,
                  detail: ok ? `${role.policyName} attached` : `${role.policyName} is not attached to ${role.name}`,
                };
              }
            : missing('the RAM role'),
        );

        const binding = first(inventory, 'gatewayVpcBinding');
        const gateway = first(inventory, 'gatewayInstance');
        await check(
          'dedicated instance bound to the access VPC',
          gateway && binding
            ? async () => {
                const found = items(
                  (await clients.cloudapi.describeInstances({ RegionId: gateway.region, InstanceId: gateway.id }))
                    .Instances,
                ).find((i) => i.InstanceId === gateway.id);
                const ok = found?.UserVpcId === binding.vpcId && found?.Status === 'RUNNING';
                return {
                  ok,
                  detail: `instance ${gateway.id}: status ${found?.Status ?? 'gone'}, bound VPC ${found?.UserVpcId ?? 'none'} (expected ${binding.vpcId})`,
                };
              }
            : missing('the gateway instance or its VPC binding'),
        );

        if (input.scenario === 'same-region') {
          await check('function runs in the bound VPC', async () => ({
            ok: functionVpcId !== undefined && functionVpcId === binding?.vpcId,
            detail: `function VPC ${functionVpcId ?? '?'}, gateway bound to ${binding?.vpcId ?? '?'}`,
          }));
        } else {
          const cen = first(inventory, 'cen');
          await check(
            'both VPCs attached to the CEN',
            cen
              ? async () => {
                  const attached = items(
                    (await clients.cbn.describeCenAttachedChildInstances({ CenId: cen.id })).ChildInstances,
                  );
                  const wanted = [functionVpcId, binding?.vpcId].filter((v): v is string => !!v);
                  const absent = wanted.filter(
                    (vpcId) => !attached.some((c) => c.ChildInstanceId === vpcId && c.Status === 'Attached'),
                  );
                  return {
                    ok: wanted.length === 2 && absent.length === 0,
                    detail: absent.length ? `not Attached: ${absent.join(', ')}` : `attached: ${wanted.join(', ')}`,
                  };
                }
              : missing('the CEN'),
          );
          const limit = first(inventory, 'cenInterRegionBandwidth');
          await check(
            'bandwidth between the two regions',
            cen && limit
              ? async () => {
                  const limits = items(
                    (await clients.cbn.describeCenInterRegionBandwidthLimits({ CenId: cen.id }))
                      .CenInterRegionBandwidthLimits,
                  );
                  const found = limits.find(
                    (l) =>
                      (l.LocalRegionId === limit.region && l.OppositeRegionId === limit.oppositeRegion) ||
                      (l.LocalRegionId === limit.oppositeRegion && l.OppositeRegionId === limit.region),
                  );
                  return {
                    ok: Number(found?.BandwidthLimit) > 0,
                    detail: `limit ${found?.BandwidthLimit ?? 0} Mbit/s`,
                  };
                }
              : missing('the inter-region bandwidth'),
          );
          await check('route service for the gateway egress CIDR Active', async () => {
            const route = first(inventory, 'cenRouteService');
            const cenId = route?.request.cenId ?? cen?.id;
            if (!cenId) return { ok: false, detail: 'no CEN to look in' };
            const entries = items(
              (await clients.cbn.describeRouteServicesInCen({ CenId: cenId, Host: input.vpcEgressAddress }))
                .RouteServiceEntries,
            ).filter((e) => e.Host === input.vpcEgressAddress);
            const active = entries.filter((e) => e.Status === 'Active').map((e) => e.AccessRegionId);
            const need = route?.request.accessRegionIds ?? [];
            const ok = entries.length > 0 && need.every((r) => active.includes(r));
            return {
              ok,
              detail: entries.length
                ? entries.map((e) => `${e.AccessRegionId}: ${e.Status}`).join(', ')
                : `no route service for ${input.vpcEgressAddress} (has the support ticket been done?)`,
            };
          });
        }

        const group = first(inventory, 'apiGroup');
        await check(
          'VPC subdomain enabled and called',
          group
            ? async () => {
                const g = await clients.cloudapi.describeApiGroup({ RegionId: group.region, GroupId: group.id });
                const host = hostOf(input.apiUrl);
                const ok = !!g.VpcDomain && g.VpcDomain === host;
                return { ok, detail: `VpcDomain ${g.VpcDomain ?? 'off'}, function calls ${host}` };
              }
            : missing('the API group'),
        );

        const api = first(inventory, 'api');
        await check(
          'API published with a VPC backend',
          api
            ? async () => {
                const found = items(
                  (await clients.cloudapi.describeApis({ RegionId: api.region, GroupId: api.groupId, ApiId: api.id }))
                    .ApiSummarys,
                ).find((a) => a.ApiId === api.id);
                const stages = items(found?.DeployedInfos)
                  .filter((d) => d.DeployedStatus === undefined || d.DeployedStatus === 'DEPLOYED')
                  .map((d) => d.StageName);
                return { ok: stages.includes(api.stageName), detail: `deployed to ${stages.join(', ') || 'no stage'}` };
              }
            : missing('the API'),
        );

        const access = first(inventory, 'vpcAccess');
        await check(
          'VPC authorization for the backend',
          access
            ? async () => {
                const found = items(
                  (await clients.cloudapi.describeVpcAccesses({ RegionId: access.region, VpcId: access.vpcId }))
                    .VpcAccessAttributes,
                ).some((a) => a.InstanceId === access.backendInstanceId && Number(a.Port) === access.port);
                return { ok: found, detail: `${access.vpcId} → ${access.backendInstanceId}:${access.port}` };
              }
            : missing('the VPC authorization'),
        );

        const ecs = first(inventory, 'ecsInstance');
        await check(
          'security group admits the gateway egress CIDR',
          ecs
            ? async () => {
                const groups = all(inventory, 'securityGroup');
                for (const group of groups) {
                  const attr = await clients.ecs.describeSecurityGroupAttribute({
                    RegionId: group.region,
                    SecurityGroupId: group.id,
                    Direction: 'ingress',
                  });
                  const ok = items(attr.Permissions).some(
                    (p) =>
                      p.PortRange === `${input.backendPort}/${input.backendPort}` &&
                      p.SourceCidrIp === input.vpcEgressAddress,
                  );
                  if (ok)
                    return { ok, detail: `${group.id} allows ${input.vpcEgressAddress} on tcp ${input.backendPort}` };
                }
                return { ok: false, detail: `no rule for ${input.vpcEgressAddress} on tcp ${input.backendPort}` };
              }
            : missing('the backend instance'),
        );
        await check(
          'backend instance Running',
          ecs
            ? async () => {
                const found = items(
                  (await clients.ecs.describeInstances({ RegionId: ecs.region, InstanceIds: [ecs.id] })).Instances,
                ).find((i) => i.InstanceId === ecs.id);
                return { ok: found?.Status === 'Running', detail: `status ${found?.Status ?? 'gone'}` };
              }
            : missing('the backend instance'),
        );

        return { checks, missing: checks.filter((c) => !c.ok).map((c) => c.link) };
      }),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
