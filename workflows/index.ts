/** Workflow entry points (the worker bundles this file). */
export { sameRegionAccess, crossRegionAccess } from './scenarios';
export { teardown } from './teardown';
