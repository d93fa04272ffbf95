export { startDevServer, type DevServer, type DevServerOptions } from './server';
export { DevClock, type DevClockOptions } from './clock';
