// The node agent's public entry points.
export { startAgent, type Agent } from './agent.js';
export type { AgentConfig } from './config.js';
export { startHollowNodes, type HollowNodes, type HollowOptions } from './hollow.js';
export { startLogServer, type LogServer, type LogServerOptions } from './log-server.js';
