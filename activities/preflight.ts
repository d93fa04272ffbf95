import { ApplicationFailure } from '@temporalio/common';
import type { CloudClients } from './cloud';
import { isAlibabaCloudError } from './cloud/errors';
import { items } from './cloud/lists';
import type { Activities, InventoryKind, PreflightReport } from './contract';
import { unlessNotFound } from './common';
import { runStep } from './failures';

type PreflightClients = Pick<CloudClients, 'vpc' | 'ecs' | 'cloudapi' | 'ram' | 'cbn' | 'fc' | 'accountId'>;

/**
 * Checks before anything is created: the credentials work (account id), every region and zone exists, a
 * zone offers dedicated gateway instances, and no resource already carries a name this run will create.
 * Every problem is collected and reported at once, as one non-retryable failure.
 */
export function preflightActivities(clients: PreflightClients): Pick<Activities, 'preflight'> {
  const nameTaken = async (kind: InventoryKind, region: string, name: string): Promise<boolean> => {
    switch (kind) {
      case 'vpc':
        return items((await clients.vpc.describeVpcs({ RegionId: region, VpcName: name })).Vpcs).some(
          (v) => v.VpcName === name,
        );
      case 'vSwitch':
        return items((await clients.vpc.describeVSwitches({ RegionId: region, VSwitchName: name })).VSwitches).some(
          (v) => v.VSwitchName === name,
        );
      case 'securityGroup':
        return items(
          (await clients.ecs.describeSecurityGroups({ RegionId: region, SecurityGroupName: name })).SecurityGroups,
        ).some((g) => g.SecurityGroupName === name);
      case 'ecsInstance':
        return items((await clients.ecs.describeInstances({ RegionId: region, InstanceName: name })).Instances).some(
          (i) => i.InstanceName === name,
        );
      case 'gatewayInstance':
        return items((await clients.cloudapi.describeInstances({ RegionId: region })).Instances).some(
          (i) => i.InstanceName === name && i.Status !== 'DELETING',
        );
      case 'apiGroup':
        return items(
          (await clients.cloudapi.describeApiGroups({ RegionId: region, GroupName: name })).ApiGroupAttributes,
        ).some((g) => g.GroupName === name);
      case 'ramRole':
        return (await unlessNotFound(() => clients.ram.getRole({ RoleName: name }))) !== undefined;
      case 'fcFunction':
        return (await unlessNotFound(() => clients.fc.getFunction(region, name))) !== undefined;
      case 'cen':
        return items((await clients.cbn.describeCens({ Filter: [{ Key: 'Name', Value: [name] }] })).Cens).some(
          (c) => c.Name === name && c.Status !== 'Deleting',
        );
      case 'cenBandwidthPackage':
        return items(
          (await clients.cbn.describeCenBandwidthPackages({ Filter: [{ Key: 'Name', Value: [name] }] }))
            .CenBandwidthPackages,
        ).some((p) => p.Name === name);
      default:
        // Relations (attachments, bindings, route services) have no name of their own to collide on.
        return false;
    }
  };

  return {
    preflight: (input) =>
      runStep('preflight', async (): Promise<PreflightReport> => {
        const problems: string[] = [];
        const warnings: string[] = [];
        const accountId = await clients.accountId();

        const regions = [
          ...new Set([input.gatewayRegion, ...(input.scenario === 'cross-region' ? [input.functionRegion] : [])]),
        ];
        const zonesByRegion = new Map<string, string[]>();
        for (const region of regions) {
          try {
            const zones = items((await clients.vpc.describeZones({ RegionId: region })).Zones).map((z) => z.ZoneId);
            zonesByRegion.set(region, zones);
          } catch (error) {
            if (isAlibabaCloudError(error) && !error.retryable) {
              problems.push(`region ${region}: ${error.code} (${error.serverMessage}); check the region id`);
            } else throw error;
          }
        }
        for (const { region, zoneId } of input.zones) {
          const zones = zonesByRegion.get(region);
          if (zones && !zones.includes(zoneId)) {
            problems.push(`zone ${zoneId} does not exist in ${region}; available: ${zones.join(', ') || 'none'}`);
          }
        }

        const gatewayZones = items((await clients.cloudapi.describeZones({ RegionId: input.gatewayRegion })).Zones).map(
          (z) => z.ZoneId,
        );
        let gatewayZoneId = input.gatewayZoneId ?? gatewayZones[0] ?? '';
        if (input.gatewayZoneId && !gatewayZones.includes(input.gatewayZoneId)) {
          problems.push(
            `zone ${input.gatewayZoneId} offers no dedicated API Gateway instance in ${input.gatewayRegion}; ` +
              `choose one of: ${gatewayZones.join(', ') || 'none'}`,
          );
        }
        if (gatewayZones.length === 0) {
          problems.push(
            `no zone of ${input.gatewayRegion} offers dedicated API Gateway instances (the runbook's one limit)`,
          );
          gatewayZoneId = '';
        }

        for (const { kind, region, name } of input.names) {
          if (await nameTaken(kind, region, name)) {
            problems.push(
              `${kind} "${name}" already exists in ${region}: rename it in the config or delete the existing one`,
            );
          }
        }

        let cenEdition: PreflightReport['cenEdition'];
        if (input.scenario === 'cross-region') {
          cenEdition = 'unknown';
          warnings.push(
            'CEN edition: ResolveAndRouteServiceInCen (the ticket step) is documented for Basic Edition transit routers; ' +
              'accounts created recently get Enterprise Edition. Ask support to confirm when filing the ticket.',
          );
        }

        if (problems.length > 0) {
          throw ApplicationFailure.nonRetryable(
            `preflight: ${problems.length} problem(s), nothing was created:\n` +
              problems.map((p) => `  - ${p}`).join('\n'),
            'PreflightFailed',
            { step: 'preflight', code: 'PreflightFailed', problems },
          );
        }
        return { accountId, gatewayZoneId, ...(cenEdition ? { cenEdition } : {}), warnings };
      }),
  };
}
