// Typed API objects, re-exported in one place.
export type * from './common.js';
export type * from './pod.js';
export type * from './apps.js';
export type * from './core.js';
export type * from './misc.js';
