// Time formats the agent writes: metav1.Time is RFC 3339 with whole seconds (api/time.ts).
export { rfc3339 } from '../api/time.js';
