export { bootstrapPayload, toScriptJson } from './bootstrap-payload';
export { readBootstrap } from './read-bootstrap';
export type { BootstrapSource } from './read-bootstrap';
