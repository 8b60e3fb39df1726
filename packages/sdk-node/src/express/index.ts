export { switchyard } from './middleware';
export type { RequestFlags, SwitchyardMiddlewareOptions } from './middleware';
