import type { ClientMessage, ErrorMessage } from '@switchyard/core/schema';
import { ClientMessageSchema } from '@switchyard/core/schema';
import type { RawData } from 'ws';

/**
 * A frame from a client, read: a valid message; or a bad `events` batch, which is the batch's
 * problem (answered with an error naming it; the client may split or fix it); or anything else
 * that is wrong, which ends the connection (4400) with `reason`.
 */
export type ReadMessage =
  | { kind: 'message'; message: ClientMessage }
  | { kind: 'bad-batch'; error: ErrorMessage }
  | { kind: 'invalid'; reason: string };

/** Reads one frame with the core's client-message schema. */
export function readClientMessage(data: RawData, isBinary: boolean): ReadMessage {
  if (isBinary) return { kind: 'invalid', reason: 'messages are JSON text frames' };
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString());
  } catch {
    return { kind: 'invalid', reason: 'the message is not valid JSON' };
  }
  const parsed = ClientMessageSchema.safeParse(raw);
  if (parsed.success) return { kind: 'message', message: parsed.data };
  const issue = describeIssue(parsed.error.issues[0]);
  const batchId = batchIdOf(raw);
  if (batchId === undefined) return { kind: 'invalid', reason: `invalid message: ${issue}` };
  const tooMany = parsed.error.issues.some((i) => i.code === 'too_big');
  return {
    kind: 'bad-batch',
    error: {
      type: 'error',
      code: tooMany ? 'too_large' : 'invalid_batch',
      message: issue,
      batchId,
    },
  };
}

function batchIdOf(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const m = raw as { type?: unknown; batchId?: unknown };
  return m.type === 'events' && typeof m.batchId === 'string' && m.batchId.length > 0
    ? m.batchId.slice(0, 128)
    : undefined;
}

function describeIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? ` at ${issue.path.map(String).join('.')}` : '';
  return `${issue.message}${where}`;
}
