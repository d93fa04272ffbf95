export * from './schema';
export * from './rules';
export * from './load';
export * from './validate';
export * from './regions';
export { parseDuration, formatDuration } from './durations';
export * from './scenario';
