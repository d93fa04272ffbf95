// The clock's deadline queue: time order, replacement, cancellation, and stale entries.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlineQueue } from '../../devserver/deadline-queue';

function runDue(q: DeadlineQueue, now: number): string[] {
  const ran: string[] = [];
  for (const d of q.takeDue(now)) if (q.claim(d)) ran.push(d.key);
  return ran;
}

describe('DeadlineQueue', () => {
  it('hands out due deadlines earliest first, ties in scheduling order', () => {
    const q = new DeadlineQueue();
    const at = [50, 10, 30, 10, 70, 20, 60, 40];
    at.forEach((t, i) => q.set(`k${i}`, t, () => {}));
    assert.equal(q.earliest(), 10);
    assert.deepEqual(runDue(q, 45), ['k1', 'k3', 'k5', 'k2', 'k7']);
    assert.equal(q.earliest(), 50);
    assert.equal(q.size, 3);
    assert.deepEqual(runDue(q, 1000), ['k0', 'k6', 'k4']);
    assert.equal(q.earliest(), undefined);
  });

  it('replacing a key moves it, cancelling removes it', () => {
    const q = new DeadlineQueue();
    q.set('a', 10, () => {});
    q.set('b', 20, () => {});
    q.set('a', 30, () => {});
    assert.equal(q.earliest(), 20);
    assert.ok(q.delete('b'));
    assert.equal(q.earliest(), 30);
    assert.equal(q.delete('b'), false);
    assert.deepEqual(runDue(q, 25), []);
    assert.deepEqual(runDue(q, 30), ['a']);
  });

  it('a handler replacing or cancelling a deadline due in the same pass wins over the old one', () => {
    const q = new DeadlineQueue();
    const ran: string[] = [];
    q.set('first', 1, () => {
      q.delete('second');
      q.set('third', 50, () => ran.push('third (moved)'));
    });
    q.set('second', 2, () => ran.push('second'));
    q.set('third', 3, () => ran.push('third'));
    for (const d of q.takeDue(10)) {
      if (!q.claim(d)) continue;
      ran.push(d.key);
      d.fn();
    }
    assert.deepEqual(ran, ['first']);
    assert.equal(q.earliest(), 50);
  });

  it('stays small when the same keys are re-scheduled many times', () => {
    const q = new DeadlineQueue();
    for (let round = 0; round < 200; round++)
      for (let k = 0; k < 50; k++) q.set(`k${k}`, 1e9 + round * 100 + k, () => {});
    assert.equal(q.size, 50);
    const internal = q as unknown as { heap: unknown[] };
    assert.ok(internal.heap.length <= 2 * 50 + 1024, `heap holds ${internal.heap.length} entries`);
    assert.equal(q.earliest(), 1e9 + 199 * 100);
    assert.equal(runDue(q, Infinity).length, 50);
  });
});
