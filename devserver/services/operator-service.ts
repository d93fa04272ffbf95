// temporal.api.operatorservice.v1.OperatorService: search attribute management.
import type { Engine } from '../engine/engine';
import type { RpcHandlers } from '../grpc/service-definition';
import { invalidArgument } from '../grpc/status';
import { INDEXED_VALUE_TYPES, SYSTEM_SEARCH_ATTRIBUTES } from '../engine/namespaces';
import type { SearchAttributeType } from '../visibility-query';

const TYPE_BY_VALUE = Object.fromEntries(Object.entries(INDEXED_VALUE_TYPES).map(([k, v]) => [v, k])) as Record<
  number,
  SearchAttributeType
>;

export function operatorServiceHandlers(
  engine: Engine,
  journalSearchAttributes: (namespace: string, added: Record<string, SearchAttributeType>) => void,
): RpcHandlers {
  const toWire = (attrs: Record<string, SearchAttributeType>) =>
    Object.fromEntries(Object.entries(attrs).map(([k, t]) => [k, INDEXED_VALUE_TYPES[t]]));
  return {
    ListSearchAttributes: (req) => {
      const ns = engine.namespaces.require(req.namespace || 'default');
      return {
        customAttributes: toWire(ns.searchAttributes),
        systemAttributes: toWire(SYSTEM_SEARCH_ATTRIBUTES),
        storageSchema: {},
      };
    },
    AddSearchAttributes: (req) => {
      const ns = engine.namespaces.require(req.namespace || 'default');
      const added: Record<string, SearchAttributeType> = {};
      for (const [name, value] of Object.entries((req.searchAttributes ?? {}) as Record<string, number>)) {
        const type = TYPE_BY_VALUE[value];
        if (!type) throw invalidArgument(`search attribute ${name}: unknown IndexedValueType ${value}`);
        if (SYSTEM_SEARCH_ATTRIBUTES[name]) throw invalidArgument(`search attribute ${name} is a system attribute`);
        const existing = ns.searchAttributes[name];
        if (existing && existing !== type) {
          throw invalidArgument(`search attribute ${name} already exists with type ${existing}, not ${type}`);
        }
        added[name] = type;
      }
      Object.assign(ns.searchAttributes, added);
      journalSearchAttributes(ns.name, added);
      return {};
    },
  };
}
