import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Info } from '@temporalio/activity';

const quiet = new DefaultLogger('ERROR');

/** A mock activity environment that does not print every failed attempt (the tests assert on them). */
export function mockEnv(info?: Partial<Info>): MockActivityEnvironment {
  return new MockActivityEnvironment(info, { logger: quiet });
}
