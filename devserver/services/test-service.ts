// temporal.api.testservice.v1.TestService: the time-skipping API the SDK's
// TestWorkflowEnvironment.createTimeSkipping() drives (Java test server semantics).
import type { DevClock } from '../clock';
import type { RpcHandlers } from '../grpc/service-definition';
import { failedPrecondition } from '../grpc/status';
import { msFromDuration, msFromTs, tsFromMs } from '../proto';

export function testServiceHandlers(clock: DevClock): RpcHandlers {
  const requireSkipping = () => {
    if (!clock.timeSkipping) {
      throw failedPrecondition(
        'time skipping is off: start the devserver in time-skipping mode (the `<port>` argument shape)',
      );
    }
  };
  return {
    LockTimeSkipping: () => {
      requireSkipping();
      clock.lock();
      return {};
    },
    UnlockTimeSkipping: () => {
      requireSkipping();
      if (!clock.isLocked()) throw failedPrecondition('time skipping is not locked');
      clock.unlock();
      return {};
    },
    Sleep: async (req) => {
      requireSkipping();
      await clock.sleep(msFromDuration(req.duration) ?? 0);
      return {};
    },
    SleepUntil: async (req) => {
      requireSkipping();
      await clock.sleepUntil(msFromTs(req.timestamp) ?? 0);
      return {};
    },
    UnlockTimeSkippingWithSleep: async (req) => {
      requireSkipping();
      const locked = clock.isLocked();
      if (locked) clock.unlock();
      try {
        await clock.sleep(msFromDuration(req.duration) ?? 0);
      } finally {
        if (locked) clock.lock();
      }
      return {};
    },
    GetCurrentTime: () => ({ time: tsFromMs(clock.now()) }),
  };
}
