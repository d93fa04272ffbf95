export * from './schema';
export * from './rules';
export * from './load';
export * from './regions';
export { parseDuration, formatDuration } from './durations';
export * from './scenario';
