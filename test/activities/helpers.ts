import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Info } from '@temporalio/activity';

const quiet = new DefaultLogger('ERROR');

/** A mock activity environment that does not print every failed attempt (the tests assert on them). */
export function mockEnv(info?: Partial<Info>): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: quiet });
}

/** Runs `fn` in `env` (default: a fresh quiet one) with its own argument and result types kept. */
export function runActivity<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
  args: A,
  env: MockActivityEnvironment = mockEnv(),
): Promise<R> {
  return env.run<A, R, (...a: A) => Promise<R>>(fn, ...args);
}
