/**
 * Zones per region, as DescribeZones lists them (letters only; the emulator does not model per-zone
 * stock). Regions missing here have no zones in the emulator: creating a vSwitch there fails with
 * InvalidZoneId.NotFound, which names this table.
 */
const ZONE_LETTERS: Record<string, string> = {
  'cn-qingdao': 'bc',
  'cn-beijing': 'abcdefghijkl',
  'cn-zhangjiakou': 'abc',
  'cn-huhehaote': 'ab',
  'cn-wulanchabu': 'abc',
  'cn-hangzhou': 'bghijk',
  'cn-shanghai': 'abcdefglmn',
  'cn-nanjing': 'a',
  'cn-fuzhou': 'a',
  'cn-shenzhen': 'abcdef',
  'cn-heyuan': 'ab',
  'cn-guangzhou': 'ab',
  'cn-chengdu': 'ab',
  'cn-hongkong': 'bcd',
  'ap-northeast-1': 'abc',
  'ap-northeast-2': 'a',
  'ap-southeast-1': 'abc',
  'ap-southeast-3': 'ab',
  'ap-southeast-5': 'abc',
  'ap-southeast-6': 'a',
  'ap-southeast-7': 'a',
  'us-east-1': 'ab',
  'us-west-1': 'ab',
  'eu-west-1': 'ab',
  'eu-central-1': 'abc',
  'me-east-1': 'a',
};

export function zonesOf(region: string): string[] {
  return [...(ZONE_LETTERS[region] ?? '')].map((letter) => `${region}-${letter}`);
}

export function isZoneOf(region: string, zoneId: string): boolean {
  return zonesOf(region).includes(zoneId);
}
