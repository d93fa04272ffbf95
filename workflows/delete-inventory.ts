import { CancellationScope, log } from '@temporalio/workflow';
import {
  DELETE_ACTIVITY_BY_KIND,
  type Activities,
  type DeleteOutcome,
  type InventoryItem,
} from '../activities/contract';
import { activity } from './activity-stubs';
import type { DeletionResult, TeardownReport } from './messages';
import { teardownStages } from './teardown-order';

/** Hooks a caller uses to follow the deletions (progress entries, inventory bookkeeping). */
export interface DeletionObserver {
  deleting?(item: InventoryItem): void;
  finished?(result: DeletionResult): void;
}

export function describeItem(item: InventoryItem): string {
  return `${item.kind} ${item.id} (${item.name}, ${item.region})`;
}

function deleteOne(item: InventoryItem): Promise<DeleteOutcome> {
  const name = DELETE_ACTIVITY_BY_KIND[item.kind];
  // The table pairs each kind with the activity taking exactly that inventory item type.
  const remove = activity(name) as (item: InventoryItem) => ReturnType<Activities[typeof name]>;
  return remove(item);
}

/**
 * Deletes an inventory in the safe order, stage by stage (parallel within a stage). Never stops at a
 * failed delete: later stages are still tried, and everything that could not be deleted is reported.
 * Runs in a non-cancellable scope so a cancelled run still cleans up.
 */
export function deleteInventory(
  inventory: readonly InventoryItem[],
  observer: DeletionObserver = {},
): Promise<TeardownReport> {
  return CancellationScope.nonCancellable(async () => {
    const results: DeletionResult[] = [];
    for (const stage of teardownStages(inventory)) {
      const stageResults = await Promise.all(
        stage.map(async (item): Promise<DeletionResult> => {
          observer.deleting?.(item);
          let result: DeletionResult;
          try {
            const outcome = await deleteOne(item);
            result =
              outcome.outcome === 'needsHuman'
                ? { item, outcome: 'needsHuman', detail: outcome.reason }
                : { item, outcome: outcome.outcome };
          } catch (err) {
            result = { item, outcome: 'failed', detail: failureMessage(err) };
            log.error(`could not delete ${describeItem(item)}: ${result.detail}`);
          }
          observer.finished?.(result);
          return result;
        }),
      );
      results.push(...stageResults);
    }
    const needsHuman = results.filter((r) => r.outcome === 'needsHuman');
    const failed = results.filter((r) => r.outcome === 'failed');
    for (const r of needsHuman) log.warn(`needs a human: ${describeItem(r.item)}: ${r.detail ?? ''}`);
    return { complete: failed.length === 0, results, needsHuman, failed };
  });
}

/** The innermost message of a failure chain (ActivityFailure → ApplicationFailure → ...). */
export function failureMessage(err: unknown): string {
  const messages: string[] = [];
  let current: unknown = err;
  while (current instanceof Error) {
    if (current.message) messages.push(current.message);
    current = (current as Error & { cause?: unknown }).cause;
  }
  if (messages.length === 0) return String(err);
  return messages[messages.length - 1] === messages[0]
    ? messages[0]
    : `${messages[0]}: ${messages[messages.length - 1]}`;
}

export function describeReport(report: TeardownReport): string {
  const deleted = report.results.filter((r) => r.outcome === 'deleted' || r.outcome === 'notFound').length;
  const parts = [`${deleted} of ${report.results.length} resources deleted`];
  if (report.needsHuman.length > 0) {
    parts.push(
      `for a human: ${report.needsHuman.map((r) => `${describeItem(r.item)} (${r.detail ?? ''})`).join('; ')}`,
    );
  }
  if (report.failed.length > 0) {
    parts.push(`not deleted: ${report.failed.map((r) => `${describeItem(r.item)}: ${r.detail ?? ''}`).join('; ')}`);
  }
  return parts.join('; ');
}
