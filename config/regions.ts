/**
 * Alibaba Cloud regions this project knows about. A typo in a region id would otherwise only surface as
 * InvalidRegionId minutes into a run, after resources were already created elsewhere.
 * `cenGeographicRegion` is the CEN bandwidth-package geography the region belongs to.
 */
export const KNOWN_REGIONS = {
  'cn-qingdao': { name: 'China (Qingdao)', cenGeographicRegion: 'China' },
  'cn-beijing': { name: 'China (Beijing)', cenGeographicRegion: 'China' },
  'cn-zhangjiakou': { name: 'China (Zhangjiakou)', cenGeographicRegion: 'China' },
  'cn-huhehaote': { name: 'China (Hohhot)', cenGeographicRegion: 'China' },
  'cn-wulanchabu': { name: 'China (Ulanqab)', cenGeographicRegion: 'China' },
  'cn-hangzhou': { name: 'China (Hangzhou)', cenGeographicRegion: 'China' },
  'cn-shanghai': { name: 'China (Shanghai)', cenGeographicRegion: 'China' },
  'cn-nanjing': { name: 'China (Nanjing - Local Region)', cenGeographicRegion: 'China' },
  'cn-fuzhou': { name: 'China (Fuzhou - Local Region)', cenGeographicRegion: 'China' },
  'cn-shenzhen': { name: 'China (Shenzhen)', cenGeographicRegion: 'China' },
  'cn-heyuan': { name: 'China (Heyuan)', cenGeographicRegion: 'China' },
  'cn-guangzhou': { name: 'China (Guangzhou)', cenGeographicRegion: 'China' },
  'cn-chengdu': { name: 'China (Chengdu)', cenGeographicRegion: 'China' },
  'cn-hongkong': { name: 'China (Hong Kong)', cenGeographicRegion: 'Asia-Pacific' },
  'ap-northeast-1': { name: 'Japan (Tokyo)', cenGeographicRegion: 'Asia-Pacific' },
  'ap-northeast-2': { name: 'South Korea (Seoul)', cenGeographicRegion: 'Asia-Pacific' },
  'ap-southeast-1': { name: 'Singapore', cenGeographicRegion: 'Asia-Pacific' },
  'ap-southeast-3': { name: 'Malaysia (Kuala Lumpur)', cenGeographicRegion: 'Asia-Pacific' },
  'ap-southeast-5': { name: 'Indonesia (Jakarta)', cenGeographicRegion: 'Asia-Pacific' },
  'ap-southeast-6': { name: 'Philippines (Manila)', cenGeographicRegion: 'Asia-Pacific' },
  'ap-southeast-7': { name: 'Thailand (Bangkok)', cenGeographicRegion: 'Asia-Pacific' },
  'us-east-1': { name: 'US (Virginia)', cenGeographicRegion: 'North-America' },
  'us-west-1': { name: 'US (Silicon Valley)', cenGeographicRegion: 'North-America' },
  'eu-west-1': { name: 'UK (London)', cenGeographicRegion: 'Europe' },
  'eu-central-1': { name: 'Germany (Frankfurt)', cenGeographicRegion: 'Europe' },
  'me-east-1': { name: 'UAE (Dubai)', cenGeographicRegion: 'Asia-Pacific' },
} as const satisfies Record<string, { name: string; cenGeographicRegion: string }>;

export type KnownRegionId = keyof typeof KNOWN_REGIONS;

export function isKnownRegion(id: string): id is KnownRegionId {
  return Object.prototype.hasOwnProperty.call(KNOWN_REGIONS, id);
}

export function cenGeographicRegionOf(id: string): string | undefined {
  return isKnownRegion(id) ? KNOWN_REGIONS[id].cenGeographicRegion : undefined;
}
