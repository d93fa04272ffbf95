// Workflow updates (UpdateWorkflowExecution / PollWorkflowExecutionUpdate): an admitted update rides
// on the next workflow task as a protocol message; the worker's acceptance, rejection and response
// come back with the task's completion (see commands.ts).
import { randomUUID } from 'node:crypto';
import { type Msg, encodeMessage, protoType } from '../proto';
import { notFound, required } from '../grpc/status';
import type { Engine } from './engine';
import type { Execution } from './execution';
import { UpdateStage } from './model';
import type { CancelSignal } from '../grpc/unary-server';
import { longPollUntil } from './matching';

/** Waiting calls return the stage reached so far after this; the SDK polls again. */
const WAIT_SLICE_MS = 20_000;

export async function update(engine: Engine, req: Msg, signal: CancelSignal): Promise<Msg> {
  const exec = engine.find(req.namespace, req.workflowExecution);
  const request = required(req.request as Msg, 'request');
  const updateId = (request.meta?.updateId as string) || randomUUID();
  required(request.input?.name as string, 'request.input.name');
  const waitStage = (req.waitPolicy?.lifecycleStage as number) || UpdateStage.COMPLETED;
  if (!exec.state.updates[updateId]) {
    if (exec.closed) throw notFound('workflow execution already completed');
    engine.tx(() => {
      engine.touch(exec);
      exec.state.updates[updateId] = {
        updateId,
        request: encodeUpdateRequest({ ...request, meta: { ...request.meta, updateId } }),
        stage: UpdateStage.ADMITTED,
      };
      engine.ensureWorkflowTask(exec);
    });
  }
  return waitForUpdate(exec, updateId, waitStage, signal);
}

export async function pollUpdate(engine: Engine, req: Msg, signal: CancelSignal): Promise<Msg> {
  const exec = engine.find(req.namespace, req.updateRef?.workflowExecution);
  const updateId = required(req.updateRef?.updateId as string, 'updateRef.updateId');
  if (!exec.state.updates[updateId]) throw notFound(`update ${updateId} not found`);
  return waitForUpdate(exec, updateId, (req.waitPolicy?.lifecycleStage as number) || UpdateStage.COMPLETED, signal);
}

async function waitForUpdate(exec: Execution, updateId: string, stage: number, signal: CancelSignal): Promise<Msg> {
  const until = longPollUntil(signal, WAIT_SLICE_MS);
  for (;;) {
    const u = exec.state.updates[updateId];
    if (!u) throw notFound('workflow execution already completed before the update finished');
    const ref = { workflowExecution: { workflowId: exec.state.workflowId, runId: exec.state.runId }, updateId };
    if (u.stage >= stage || signal.aborted || Date.now() >= until) {
      return { updateRef: ref, outcome: u.stage === UpdateStage.COMPLETED ? u.outcome : undefined, stage: u.stage };
    }
    await exec.waitForChange(signal, until - Date.now());
  }
}

/** Kept encoded: the request travels to the worker as a google.protobuf.Any in a protocol message. */
function encodeUpdateRequest(request: Msg): Buffer {
  return encodeMessage(protoType('temporal.api.update.v1.Request'), request);
}
