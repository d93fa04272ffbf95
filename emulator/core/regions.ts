/** Regions the emulator knows (mainland China and the common international ones). */
export const KNOWN_REGIONS: readonly string[] = [
  'cn-hangzhou',
  'cn-shanghai',
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-hongkong',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'us-east-1',
  'us-west-1',
  'eu-west-1',
  'eu-central-1',
  'me-east-1',
];

/** The Host header without its port. */
export function hostName(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  return hostHeader.replace(/:\d+$/, '').toLowerCase();
}

/**
 * The region named by a documented endpoint (`vpc.cn-shanghai.aliyuncs.com`,
 * `<account>.cn-shanghai.fc.aliyuncs.com`, `ecs-vpc.cn-beijing.aliyuncs.com`, ...), or undefined.
 */
export function regionFromHost(hostHeader: string | undefined): string | undefined {
  const host = hostName(hostHeader);
  if (!host.endsWith('.aliyuncs.com')) return undefined;
  for (const label of host.split('.')) {
    const region = label.replace(/-(internal|vpc)$/, '');
    if (KNOWN_REGIONS.includes(region)) return region;
  }
  return undefined;
}

/** The account id in an FC endpoint (`<account>.<region>.fc.aliyuncs.com`), or undefined. */
export function accountFromHost(hostHeader: string | undefined): string | undefined {
  const match = /^(\d+)\.[a-z0-9-]+\.fc\.aliyuncs\.com$/.exec(hostName(hostHeader));
  return match ? match[1] : undefined;
}

/** Host answered in `HostId`: the documented endpoint the call was meant for. */
export function endpointHost(product: string, region: string | undefined, hostHeader: string | undefined): string {
  const host = hostName(hostHeader);
  if (host.endsWith('.aliyuncs.com')) return host;
  const globalProducts: Record<string, string> = {
    ram: 'ram.aliyuncs.com',
    sts: 'sts.aliyuncs.com',
    cbn: 'cbn.aliyuncs.com',
  };
  if (globalProducts[product]) return globalProducts[product];
  const service = product === 'cloudapi' ? 'apigateway' : product;
  if (product === 'fc') return `${region ?? 'cn-shanghai'}.fc.aliyuncs.com`;
  return `${service}.${region ?? 'cn-shanghai'}.aliyuncs.com`;
}
