// ListWorkflowExecutions / CountWorkflowExecutions over the in-memory executions, filtered and ordered
// by the visibility query language (devserver/visibility-query.ts).
import type { Msg } from '../proto';
import type { Engine } from '../engine/engine';
import { executionDurationMs, executionInfo, rootExecutionOf } from '../engine/reads';
import type { Execution } from '../engine/execution';
import { decodeSearchAttribute } from '../engine/namespaces';
import {
  EXECUTION_STATUSES,
  VisibilityQueryError,
  parseVisibilityQuery,
  type VisibilityQuery,
  type VisibilityRow,
} from '../visibility-query';
import { invalidArgument } from '../grpc/status';

export function visibilityRow(engine: Engine, exec: Execution): VisibilityRow {
  const s = exec.state;
  const root = rootExecutionOf(engine, exec);
  const durationMs = executionDurationMs(s);
  // The predefined attributes the server knows (Temporal UI lists children and workflow trees by them).
  const searchAttributes: Record<string, unknown> = {
    ParentWorkflowId: s.parent?.workflowId,
    ParentRunId: s.parent?.runId,
    RootWorkflowId: root.workflowId,
    RootRunId: root.runId,
    HistoryLength: s.nextEventId - 1,
    HistorySizeBytes: s.historySizeBytes,
    StateTransitionCount: s.tokenSeq,
  };
  for (const [name, payload] of Object.entries(s.searchAttributes))
    searchAttributes[name] = decodeSearchAttribute(payload);
  return {
    WorkflowId: s.workflowId,
    RunId: s.runId,
    WorkflowType: s.workflowType,
    ExecutionStatus: EXECUTION_STATUSES[s.status - 1],
    StartTime: new Date(s.startTime),
    CloseTime: s.closeTime !== undefined ? new Date(s.closeTime) : undefined,
    ExecutionTime: new Date(s.executionTime),
    ExecutionDuration: durationMs !== undefined ? durationMs * 1e6 : undefined,
    TaskQueue: s.taskQueue,
    searchAttributes,
  };
}

/** Open runs first, then by close time, newest first (Temporal's default listing order). */
function defaultOrder(a: Execution, b: Execution): number {
  const ca = a.state.closeTime ?? Infinity;
  const cb = b.state.closeTime ?? Infinity;
  if (ca !== cb) return cb - ca;
  return b.state.startTime - a.state.startTime;
}

function parse(engine: Engine, namespace: string, query: string | undefined): VisibilityQuery {
  const ns = engine.namespaces.require(namespace);
  try {
    return parseVisibilityQuery(query ?? '', ns.searchAttributes);
  } catch (err) {
    if (err instanceof VisibilityQueryError || err instanceof TypeError) throw invalidArgument(err.message);
    throw err;
  }
}

function matching(
  engine: Engine,
  namespace: string,
  parsed: VisibilityQuery,
): { exec: Execution; row: VisibilityRow }[] {
  const rows: { exec: Execution; row: VisibilityRow }[] = [];
  for (const exec of engine.executions.values()) {
    if (exec.state.namespace !== namespace) continue;
    const row = visibilityRow(engine, exec);
    if (parsed.matches(row)) rows.push({ exec, row });
  }
  const compare = parsed.compare;
  rows.sort(compare ? (a, b) => compare(a.row, b.row) : (a, b) => defaultOrder(a.exec, b.exec));
  return rows;
}

export function listExecutions(engine: Engine, req: Msg): Msg {
  const parsed = parse(engine, req.namespace, req.query);
  if (parsed.groupBy) throw invalidArgument('GROUP BY is only supported by CountWorkflowExecutions');
  const rows = matching(engine, req.namespace, parsed);
  const pageSize = Number(req.pageSize) || 1000;
  const offset = req.nextPageToken?.length ? Number(Buffer.from(req.nextPageToken).toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw invalidArgument('nextPageToken is not one this server issued');
  const page = rows.slice(offset, offset + pageSize);
  const next = offset + page.length;
  return {
    executions: page.map((r) => executionInfo(engine, r.exec)),
    nextPageToken: next < rows.length ? Buffer.from(String(next)) : undefined,
  };
}

export function countExecutions(engine: Engine, req: Msg): Msg {
  const parsed = parse(engine, req.namespace, req.query);
  const rows = matching(engine, req.namespace, parsed);
  if (!parsed.groupBy) return { count: rows.length };
  const counts = new Map<string, number>();
  for (const { row } of rows) counts.set(row.ExecutionStatus, (counts.get(row.ExecutionStatus) ?? 0) + 1);
  return {
    count: rows.length,
    groups: [...counts].map(([status, count]) => ({
      groupValues: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(status)) }],
      count,
    })),
  };
}
