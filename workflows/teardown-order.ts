import { TEARDOWN_ORDER, type InventoryKind } from '../activities/contract';

/**
 * Stages of a teardown: items of one stage share a kind and are deleted in parallel; stages run in the
 * safe order (notes/alibaba-apis.md, TEARDOWN_ORDER). Within a kind, later-created items come first so
 * a saga undoes in reverse order.
 */
export function teardownStages<T extends { kind: InventoryKind }>(inventory: readonly T[]): T[][] {
  const stages: T[][] = [];
  for (const kind of TEARDOWN_ORDER) {
    const items = inventory.filter((item) => item.kind === kind).reverse();
    if (items.length > 0) stages.push(items);
  }
  return stages;
}

/** The flat deletion order. */
export function teardownOrder<T extends { kind: InventoryKind }>(inventory: readonly T[]): T[] {
  return teardownStages(inventory).flat();
}
