// Registered namespaces and their search attributes (custom ones are typed; values of unknown
// attributes are refused like real Temporal does).
import { randomUUID } from 'node:crypto';
import { type Msg } from '../proto';
import { invalidArgument, notFound, alreadyExists } from '../grpc/status';
import type { SearchAttributeType } from '../visibility-query';

export interface NamespaceRecord {
  name: string;
  id: string;
  description?: string;
  retentionDays: number;
  searchAttributes: Record<string, SearchAttributeType>;
}

/** Custom attributes every namespace has: the ones the product upserts plus Temporal dev server's. */
export const DEFAULT_CUSTOM_SEARCH_ATTRIBUTES: Record<string, SearchAttributeType> = {
  ScenarioName: 'Keyword',
  DeploymentPhase: 'Keyword',
  CustomKeywordField: 'Keyword',
  CustomStringField: 'Text',
  CustomTextField: 'Text',
  CustomIntField: 'Int',
  CustomDoubleField: 'Double',
  CustomBoolField: 'Bool',
  CustomDatetimeField: 'Datetime',
};

/** Temporal's system attributes (ListSearchAttributes reports them; they cannot be upserted). */
export const SYSTEM_SEARCH_ATTRIBUTES: Record<string, SearchAttributeType> = {
  WorkflowId: 'Keyword',
  RunId: 'Keyword',
  WorkflowType: 'Keyword',
  ExecutionStatus: 'Keyword',
  StartTime: 'Datetime',
  CloseTime: 'Datetime',
  ExecutionTime: 'Datetime',
  TaskQueue: 'Keyword',
  ExecutionDuration: 'Int',
  HistoryLength: 'Int',
  HistorySizeBytes: 'Int',
  TemporalChangeVersion: 'KeywordList',
  BinaryChecksums: 'KeywordList',
  BuildIds: 'KeywordList',
};

export const INDEXED_VALUE_TYPES: Record<SearchAttributeType, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

export class Namespaces {
  private readonly byName = new Map<string, NamespaceRecord>();

  /** Adds a namespace (start-up flags, RegisterNamespace, journal replay). */
  add(record: {
    name: string;
    id?: string;
    description?: string;
    retentionDays?: number;
    searchAttributes?: Record<string, SearchAttributeType>;
  }): NamespaceRecord {
    const full: NamespaceRecord = {
      name: record.name,
      id: record.id ?? randomUUID(),
      description: record.description,
      retentionDays: record.retentionDays ?? 1,
      searchAttributes: { ...DEFAULT_CUSTOM_SEARCH_ATTRIBUTES, ...(record.searchAttributes ?? {}) },
    };
    this.byName.set(full.name, full);
    return full;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  list(): NamespaceRecord[] {
    return [...this.byName.values()];
  }

  require(name: string | undefined): NamespaceRecord {
    if (!name) throw invalidArgument('namespace is required');
    const ns = this.byName.get(name);
    if (!ns) throw notFound(`Namespace ${name} is not found.`);
    return ns;
  }

  id(name: string): string | undefined {
    return this.byName.get(name)?.id;
  }

  assertNew(name: string): void {
    if (this.byName.has(name)) throw alreadyExists(`Namespace ${name} already exists.`);
  }

  /** Refuses values for attributes the namespace does not define (INVALID_ARGUMENT names them). */
  validateSearchAttributes(namespace: string, fields: Record<string, Msg>): void {
    const ns = this.require(namespace);
    for (const name of Object.keys(fields)) {
      if (SYSTEM_SEARCH_ATTRIBUTES[name] && name !== 'TemporalChangeVersion' && name !== 'BuildIds') {
        throw invalidArgument(`search attribute ${name} is a system attribute and cannot be set`);
      }
      if (!ns.searchAttributes[name] && !SYSTEM_SEARCH_ATTRIBUTES[name]) {
        throw invalidArgument(
          `search attribute ${name} is not defined in namespace ${namespace}; register it first (OperatorService AddSearchAttributes)`,
        );
      }
    }
  }
}

/** Decodes a search attribute payload (json/plain) to its value, as the visibility query compares it. */
export function decodeSearchAttribute(payload: Msg | undefined): unknown {
  if (!payload?.data || payload.data.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(payload.data as Uint8Array).toString('utf8'));
  } catch {
    return undefined;
  }
}
