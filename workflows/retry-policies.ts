import type { ActivityOptions } from '@temporalio/workflow';
import type { ActivityName } from '../activities/contract';

/**
 * Retry policies per kind of step, in one place. Activities classify Alibaba errors themselves
 * (non-retryable ApplicationFailure for invalid input, auth, quota, ...), so these policies only decide
 * how patiently the retryable ones (throttling, 5xx, conflicts, dropped responses) are retried.
 */
export type RetryClass = 'check' | 'control' | 'wait' | 'delete' | 'verify';

export const ACTIVITY_OPTIONS: Record<RetryClass, ActivityOptions> = {
  /** Preflight: read-only; a persistent failure is a configuration problem worth reporting quickly. */
  check: {
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
  },
  /** Synchronous create/modify calls. Idempotent (token + lookup), so retrying a dropped response is safe. */
  control: {
    startToCloseTimeout: '2 minutes',
    scheduleToCloseTimeout: '30 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 30 },
  },
  /**
   * Polling until a resource is ready. The activity heartbeats on every poll: a dead worker is noticed
   * within the heartbeat timeout, and the next attempt resumes. The dedicated instance is the slowest
   * (about 5 minutes; Terraform allows 25).
   */
  wait: {
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 10 },
  },
  /**
   * Deletes wait out DependencyViolation (ENIs left by FC can hold a vSwitch for ~10 minutes); the
   * dedicated instance's delete waits up to 30 minutes inside one attempt, so an attempt may run longer.
   */
  delete: {
    startToCloseTimeout: '40 minutes',
    heartbeatTimeout: '1 minute',
    scheduleToCloseTimeout: '2 hours',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
  },
  /** Invoking the function: the first VPC invocation can take 10 s+ while an ENI is plugged in. */
  verify: {
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5 },
  },
};

export const RETRY_CLASS_OF: Record<ActivityName, RetryClass> = {
  preflight: 'check',
  createVpc: 'control',
  waitVpcAvailable: 'wait',
  createVSwitch: 'control',
  waitVSwitchAvailable: 'wait',
  createSecurityGroup: 'control',
  authorizeSecurityGroupIngress: 'control',
  runBackendInstance: 'control',
  waitBackendInstanceRunning: 'wait',
  createDedicatedInstance: 'control',
  waitDedicatedInstanceRunning: 'wait',
  createVpcAccess: 'control',
  createApiGroup: 'control',
  createApi: 'control',
  deployApi: 'control',
  // Waits (heartbeating) until the instance is RUNNING again after the rebind: 1-5 min on real cloud.
  bindInstanceToVpc: 'wait',
  enableVpcSubdomain: 'control',
  createFcRole: 'control',
  // Retries AccessDenied (heartbeating) for up to 3 min while a new RAM role propagates to FC.
  createFunction: 'wait',
  waitFunctionActive: 'wait',
  invokeFunction: 'verify',
  diagnoseReachability: 'check',
  createCen: 'control',
  waitCenActive: 'wait',
  attachVpcToCen: 'wait',
  createBandwidthPackage: 'control',
  associateBandwidthPackage: 'wait',
  setInterRegionBandwidth: 'wait',
  describeRouteService: 'check',
  deleteFunction: 'delete',
  deleteFcRole: 'delete',
  deleteApi: 'delete',
  deleteApiGroup: 'delete',
  removeVpcAccess: 'delete',
  unbindInstanceFromVpc: 'delete',
  deleteDedicatedInstance: 'delete',
  deleteRouteService: 'delete',
  resetInterRegionBandwidth: 'delete',
  deleteBandwidthPackage: 'delete',
  detachVpcFromCen: 'delete',
  deleteCen: 'delete',
  deleteBackendInstance: 'delete',
  deleteSecurityGroup: 'delete',
  deleteVSwitch: 'delete',
  deleteVpc: 'delete',
};
