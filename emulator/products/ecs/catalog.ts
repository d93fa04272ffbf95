/**
 * The public images and instance types the emulator offers in every region. Real ECS has hundreds; these
 * are the ones the runbook and its tests use plus a few common alternatives. Anything else is rejected
 * with the real not-found/not-supported code so a typo surfaces at once.
 */
export interface ImageInfo {
  imageId: string;
  imageName: string;
  osName: string;
  osType: 'linux';
  platform: string;
  architecture: 'x86_64';
}

export const IMAGES: readonly ImageInfo[] = [
  {
    imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
    imageName: 'aliyun_3_x64_20G_alibase_20240819.vhd',
    osName: 'Alibaba Cloud Linux 3.2104 LTS 64位',
    osType: 'linux',
    platform: 'Aliyun',
    architecture: 'x86_64',
  },
  {
    imageId: 'ubuntu_22_04_x64_20G_alibase_20240130.vhd',
    imageName: 'ubuntu_22_04_x64_20G_alibase_20240130.vhd',
    osName: 'Ubuntu  22.04 64位',
    osType: 'linux',
    platform: 'Ubuntu',
    architecture: 'x86_64',
  },
  {
    imageId: 'centos_7_9_x64_20G_alibase_20240628.vhd',
    imageName: 'centos_7_9_x64_20G_alibase_20240628.vhd',
    osName: 'CentOS  7.9 64位',
    osType: 'linux',
    platform: 'CentOS',
    architecture: 'x86_64',
  },
];

export interface InstanceTypeInfo {
  instanceTypeId: string;
  family: string;
  cpu: number;
  /** GiB. */
  memory: number;
}

export const INSTANCE_TYPES: readonly InstanceTypeInfo[] = [
  { instanceTypeId: 'ecs.e-c1m1.large', family: 'ecs.e', cpu: 2, memory: 2 },
  { instanceTypeId: 'ecs.e-c1m2.large', family: 'ecs.e', cpu: 2, memory: 4 },
  { instanceTypeId: 'ecs.t5-lc1m1.small', family: 'ecs.t5', cpu: 1, memory: 1 },
  { instanceTypeId: 'ecs.t6-c1m1.large', family: 'ecs.t6', cpu: 2, memory: 2 },
  { instanceTypeId: 'ecs.u1-c1m1.large', family: 'ecs.u1', cpu: 2, memory: 2 },
  { instanceTypeId: 'ecs.g7.large', family: 'ecs.g7', cpu: 2, memory: 8 },
  { instanceTypeId: 'ecs.c7.large', family: 'ecs.c7', cpu: 2, memory: 4 },
  { instanceTypeId: 'ecs.g6.large', family: 'ecs.g6', cpu: 2, memory: 8 },
];

export function findImage(imageId: string): ImageInfo | undefined {
  return IMAGES.find((i) => i.imageId === imageId);
}

export function findInstanceType(id: string): InstanceTypeInfo | undefined {
  return INSTANCE_TYPES.find((t) => t.instanceTypeId === id);
}
