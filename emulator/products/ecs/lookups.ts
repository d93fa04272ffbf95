/** ECS 2014-05-26: images, instance types, zones and regions (read-only catalogs). */
import type { RpcHandler } from '../../core/contract';
import { RpcParams, paginate } from '../vpc/params';
import { zonesOf } from '../vpc/zones';
import { IMAGES, INSTANCE_TYPES } from './catalog';
import { globMatch } from './model';

const describeZones: RpcHandler = (req) => ({
  Zones: {
    Zone: zonesOf(req.region).map((id) => ({
      ZoneId: id,
      LocalName: id,
      ZoneType: 'AvailabilityZone',
      AvailableResourceCreation: { ResourceTypes: ['VSwitch', 'Instance', 'Disk'] },
      AvailableInstanceTypes: { InstanceTypes: INSTANCE_TYPES.map((t) => t.instanceTypeId) },
    })),
  },
});

const describeImages: RpcHandler = (req) => {
  const p = RpcParams.of(req);
  const ids = p.commaList('ImageId');
  const name = p.optional('ImageName');
  const page = p.page(100);
  const list = IMAGES.filter(
    (i) => (!ids || ids.includes(i.imageId)) && (name === undefined || globMatch(name, i.imageName)),
  );
  const { items, ...paging } = paginate([...list], page);
  return {
    RegionId: req.region,
    ...paging,
    Images: {
      Image: items.map((i) => ({
        ImageId: i.imageId,
        ImageName: i.imageName,
        OSName: i.osName,
        OSType: i.osType,
        Platform: i.platform,
        Architecture: i.architecture,
        ImageOwnerAlias: 'system',
        Status: 'Available',
        IsSupportCloudinit: true,
        Size: 20,
      })),
    },
  };
};

const describeInstanceTypes: RpcHandler = (req) => {
  const p = RpcParams.of(req);
  const wanted = p.indexed('InstanceTypes');
  const family = p.optional('InstanceTypeFamily');
  const list = INSTANCE_TYPES.filter(
    (t) => (wanted.length === 0 || wanted.includes(t.instanceTypeId)) && (family === undefined || t.family === family),
  );
  return {
    InstanceTypes: {
      InstanceType: list.map((t) => ({
        InstanceTypeId: t.instanceTypeId,
        InstanceTypeFamily: t.family,
        CpuCoreCount: t.cpu,
        MemorySize: t.memory,
      })),
    },
  };
};

const describeRegions: RpcHandler = (_req, ctx) => ({
  Regions: {
    Region: ctx.regions.map((id) => ({
      RegionId: id,
      LocalName: id,
      RegionEndpoint: `ecs.${id}.aliyuncs.com`,
      Status: 'available',
    })),
  },
});

export const lookupActions: Record<string, RpcHandler> = {
  DescribeZones: describeZones,
  DescribeImages: describeImages,
  DescribeInstanceTypes: describeInstanceTypes,
  DescribeRegions: describeRegions,
};
