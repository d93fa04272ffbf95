import type { TimingKey } from './contract';

export type TimingProfile = 'fast' | 'realistic';

/** `fast`: tens to a few hundred ms — enough that callers really poll, short enough for tests. */
const FAST: Record<TimingKey, number> = {
  'vpc.create': 50,
  'vswitch.create': 50,
  'vpc.delete': 30,
  'vswitch.delete': 30,
  'ecs.pending': 50,
  'ecs.starting': 100,
  'ecs.service': 100,
  'ecs.delete': 50,
  'apigw.instance.create': 300,
  'apigw.instance.rebind': 150,
  'apigw.instance.delete': 100,
  'ram.propagation': 50,
  'fc.create': 50,
  'cen.create': 50,
  'cen.attach': 100,
  'cen.detach': 50,
  'cen.bandwidth': 50,
  'cen.route': 150,
  'cen.delete': 50,
  immediate: 0,
};

/** `realistic`: typical real durations (notes, "How long things take"), before the time scale. */
const REALISTIC: Record<TimingKey, number> = {
  'vpc.create': 5_000,
  'vswitch.create': 5_000,
  'vpc.delete': 5_000,
  'vswitch.delete': 5_000,
  'ecs.pending': 10_000,
  'ecs.starting': 35_000,
  'ecs.service': 45_000,
  'ecs.delete': 30_000,
  'apigw.instance.create': 300_000,
  'apigw.instance.rebind': 120_000,
  'apigw.instance.delete': 180_000,
  'ram.propagation': 60_000,
  'fc.create': 2_000,
  'cen.create': 5_000,
  'cen.attach': 20_000,
  'cen.detach': 15_000,
  'cen.bandwidth': 15_000,
  'cen.route': 30_000,
  'cen.delete': 10_000,
  immediate: 0,
};

export const TIMING_TABLES: Record<TimingProfile, Record<TimingKey, number>> = { fast: FAST, realistic: REALISTIC };

/** Default scale per profile: realistic × 0.01 turns the 5-minute gateway instance into 3 s. */
export const DEFAULT_TIME_SCALE: Record<TimingProfile, number> = { fast: 1, realistic: 0.01 };

export function isTimingProfile(value: string): value is TimingProfile {
  return value === 'fast' || value === 'realistic';
}

export function makeTiming(profile: TimingProfile, timeScale: number): (key: TimingKey) => number {
  if (!(timeScale >= 0) || !Number.isFinite(timeScale)) {
    throw new Error(`timeScale must be a finite number >= 0, got ${timeScale}`);
  }
  const table = TIMING_TABLES[profile];
  return (key) => {
    const ms = table[key];
    if (ms === undefined) throw new Error(`Unknown timing key "${key}" (see emulator/core/timing.ts)`);
    return Math.round(ms * timeScale);
  };
}
