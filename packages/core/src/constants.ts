/** The event type of an exposure: a unit was served a variant of an experiment. */
export const EXPOSURE_EVENT = '$exposure';

/**
 * The event type of a flag exposure: a unit was served `properties.variant` of the flag
 * `properties.flag` while that flag rolls out to part of its units (a rollout strictly between 0
 * and 100%). The server compares the units that got the rolled-out variant with the rest, to
 * guard a progressive rollout.
 */
export const FLAG_EXPOSURE_EVENT = '$flag_exposure';

/** Most events one batch may carry, over HTTP or the socket. */
export const MAX_BATCH_EVENTS = 1000;

/** The context attribute hashed for bucketing when a flag or experiment names none. */
export const DEFAULT_UNIT = 'userId';

/** WebSocket close codes the server uses (4000–4999 are for applications). */
export const CloseCodes = {
  /** The key is missing, unknown or revoked. */
  unauthorized: 4401,
  /** The key may not use the stream (e.g. wrong kind). */
  forbidden: 4403,
  /** The first message was not a valid hello, or a message failed validation. */
  badMessage: 4400,
  /** The client could not keep up; reconnect and resync. */
  slowConsumer: 4408,
  /** Too many messages. */
  rateLimited: 4429,
  /** The server is shutting down; reconnect elsewhere or later. */
  goingAway: 1001,
} as const;
