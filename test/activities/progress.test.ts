import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ActivityProgress, waitUntil, type HeartbeatState, type PollResult } from '../../activities/progress';

function pollSequence(states: string[]): () => Promise<PollResult<string>> {
  let index = 0;
  return async () => {
    const state = states[Math.min(index, states.length - 1)];
    index += 1;
    return state === 'Available' ? { done: true, value: state } : { done: false, state };
  };
}

describe('waitUntil', () => {
  it('polls until done and heartbeats the state on every round', async () => {
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    const value = await env.run(async () =>
      waitUntil({
        what: 'VPC vpc-1 to become Available',
        step: 'createVpc',
        check: pollSequence(['Pending', 'Pending', 'Available']),
        intervalMs: 1,
        timeoutMs: 60_000,
        progress: new ActivityProgress<HeartbeatState>(),
      }),
    );
    assert.equal(value, 'Available');
    const last = beats.at(-1) as HeartbeatState;
    assert.equal(last.rounds, 2);
    assert.equal(last.lastState, 'VPC vpc-1 to become Available: Pending');
    assert.equal(typeof last.waits?.['VPC vpc-1 to become Available'], 'number');
  });

  it('keeps the deadline of an earlier attempt and fails for good, naming the last state', async () => {
    const startedLongAgo = Date.now() - 10 * 60_000;
    const env = new MockActivityEnvironment({ heartbeatDetails: { waits: { 'X to be ready': startedLongAgo } } });
    await assert.rejects(
      env.run(async () =>
        waitUntil({
          what: 'X to be ready',
          step: 'waitX',
          check: pollSequence(['Creating']),
          intervalMs: 1,
          timeoutMs: 60_000,
          progress: new ActivityProgress<HeartbeatState>(),
        }),
      ),
      (error: unknown) =>
        error instanceof ApplicationFailure &&
        error.nonRetryable &&
        error.type === 'WaitTimedOut' &&
        /last state: Creating/.test(error.message),
    );
  });

  it('stops at once with CancelledFailure when the activity is cancelled', async () => {
    const env = new MockActivityEnvironment();
    let rounds = 0;
    env.on('heartbeat', () => {
      rounds += 1;
      if (rounds === 2) env.cancel();
    });
    await assert.rejects(
      env.run(async () =>
        waitUntil({
          what: 'never',
          step: 'waitNever',
          check: async () => ({ done: false, state: 'Pending' }),
          intervalMs: 60_000,
          timeoutMs: 3_600_000,
          progress: new ActivityProgress<HeartbeatState>(),
        }),
      ),
      (error: unknown) => error instanceof CancelledFailure,
    );
  });
});

describe('ActivityProgress', () => {
  it('resumes from heartbeat details of the previous attempt', async () => {
    const env = new MockActivityEnvironment({ heartbeatDetails: { vpcId: 'vpc-123' } });
    const seen = await env.run(async () => {
      const progress = new ActivityProgress<HeartbeatState & { vpcId?: string }>();
      return { resumed: progress.resumed, vpcId: progress.get('vpcId') };
    });
    assert.deepEqual(seen, { resumed: true, vpcId: 'vpc-123' });
  });

  it('starts fresh without details', async () => {
    const env = new MockActivityEnvironment();
    const resumed = await env.run(async () => new ActivityProgress<HeartbeatState>().resumed);
    assert.equal(resumed, false);
  });

  it('keeps every wait of one attempt in the same heartbeat, so all of them resume', async () => {
    const env = new MockActivityEnvironment();
    const beats: HeartbeatState[] = [];
    env.on('heartbeat', (details: HeartbeatState) => beats.push(details));
    await env.run(async () => {
      for (const what of ['first wait', 'second wait']) {
        await waitUntil({
          what,
          step: 'twoWaits',
          check: pollSequence(['Pending', 'Available']),
          intervalMs: 1,
          timeoutMs: 60_000,
          progress: new ActivityProgress<HeartbeatState>(),
        });
      }
    });
    assert.deepEqual(Object.keys(beats.at(-1)?.waits ?? {}), ['first wait', 'second wait']);
  });
});
