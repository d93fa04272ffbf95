import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { TEARDOWN_ORDER, type Inventory, type InventoryItem } from '../activities/contract';
import { deleteInventory, describeItem, describeReport } from './delete-inventory';
import { inventoryQuery, progressQuery, type TeardownReport } from './messages';
import { RunState } from './run-state';
import { teardownOrder, teardownStages } from './teardown-order';

const itemKey = (item: InventoryItem) => `${item.kind}/${item.id}`;

/**
 * Deletes a finished run's inventory in the safe order, idempotently (NotFound means done). Completes
 * with a report listing what needs a human (a prepaid CEN bandwidth package); fails, with the same
 * report in its details, when a deletion kept failing.
 */
export async function teardown(inventory: Inventory): Promise<TeardownReport> {
  if (!Array.isArray(inventory)) {
    throw ApplicationFailure.nonRetryable(
      'teardown takes an inventory array (the `inventory` of a run result)',
      'InvalidInput',
    );
  }
  const unknown = inventory.filter((item) => !TEARDOWN_ORDER.includes(item?.kind));
  if (unknown.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `teardown cannot delete inventory items of unknown kind: ${unknown.map((i) => JSON.stringify(i)).join(', ')}; ` +
        `known kinds: ${TEARDOWN_ORDER.join(', ')}`,
      'InvalidInput',
    );
  }
  const stages = teardownStages(inventory);
  const state = new RunState(
    'teardown',
    teardownOrder(inventory).map((item) => ({ name: itemKey(item), title: `Delete ${describeItem(item)}` })),
    stages.map((stage) => stage.map(itemKey)),
    { ticket: false, phase: 'tearing-down' },
  );
  inventory.forEach((item) => state.inventory.push(item));
  setHandler(progressQuery, () => state.progress());
  setHandler(inventoryQuery, () => [...state.inventory]);

  const report = await deleteInventory(inventory, {
    deleting: (item) => state.started(itemKey(item)),
    finished: (result) => {
      const name = itemKey(result.item);
      if (result.outcome === 'failed') state.failed(name, result.detail ?? 'failed');
      else state.done(name, result.outcome === 'needsHuman' ? `needs a human: ${result.detail ?? ''}` : result.outcome);
      if (result.outcome === 'deleted' || result.outcome === 'notFound') state.forget([result.item]);
    },
  });
  state.setCompensation(report);
  if (!report.complete) {
    state.setFailure(describeReport(report));
    state.setPhase('failed');
    throw ApplicationFailure.create({
      message: `teardown incomplete: ${describeReport(report)}`,
      type: 'TeardownIncomplete',
      nonRetryable: true,
      details: [report],
    });
  }
  state.setPhase('torn-down');
  return report;
}
