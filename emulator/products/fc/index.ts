import type { ProductDefinition } from '../../core/contract';
import { createFunction, deleteFunction, getFunction, listFunctions, updateFunction } from './functions';
import { invokeFunction } from './invoke';
import { fcControlRoutes } from './settings';

const FUNCTIONS = '/2023-03-30/functions';

/** Function Compute 3.0 (2023-03-30), ROA: functions and synchronous invocations. */
export const fcProduct: ProductDefinition = {
  name: 'fc',
  style: 'roa',
  version: '2023-03-30',
  routes: [
    { method: 'POST', pattern: FUNCTIONS, action: 'CreateFunction', handler: createFunction },
    { method: 'GET', pattern: FUNCTIONS, action: 'ListFunctions', handler: listFunctions },
    { method: 'GET', pattern: `${FUNCTIONS}/:functionName`, action: 'GetFunction', handler: getFunction },
    { method: 'PUT', pattern: `${FUNCTIONS}/:functionName`, action: 'UpdateFunction', handler: updateFunction },
    { method: 'DELETE', pattern: `${FUNCTIONS}/:functionName`, action: 'DeleteFunction', handler: deleteFunction },
    {
      method: 'POST',
      pattern: `${FUNCTIONS}/:functionName/invocations`,
      action: 'InvokeFunction',
      handler: invokeFunction,
    },
  ],
  control: fcControlRoutes,
};
