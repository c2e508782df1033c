// The namespace controller's public surface.
export { NamespaceController, newNamespaceController } from './controller.js';
export * from './plan.js';
