export type { Decoded, Decoder } from './decoder';
export type { EventsResponse } from './events-response';
export { schemaDecoder } from './schema-decoder';
export { endpointsFor } from './endpoints';
export type { Endpoints } from './endpoints';
export { httpRequest, parseJson, retryAfterMs } from './http-request';
export type { HttpResult } from './http-request';
