// The node IPAM controller's public surface.
export { NodeIpamController, newNodeIpamController } from './controller.js';
export * from './cidr.js';
