import { Agent, request } from 'node:http';

/** One POST /v1/events answer as the load generator saw it. */
interface Answer {
  status: number;
  body: string;
  retryAfterMs: number | undefined;
}

/** What the server acknowledged and how long requests took. */
export interface LoadResult {
  requests: number;
  /** Events the acks counted as accepted (new), and as duplicates. */
  accepted: number;
  duplicates: number;
  rejected: number;
  /** Answers 429 (each retried after Retry-After). */
  throttled: number;
  /** Requests that failed for good, with the first few reasons. */
  failed: number;
  errors: string[];
  seconds: number;
  /** Per successful request, ms from sending to the complete answer. */
  latenciesMs: number[];
}

export interface LoadOptions {
  url: string;
  key: string;
  /** Pre-serialized request bodies, sent in order. */
  bodies: readonly string[];
  connections: number;
  /** Stop taking new bodies after this long. */
  maxSeconds: number;
  /**
   * Paced (open loop): body `i` is due `i / ratePerSecond` s after the start, and goes on the
   * first free connection once due; its latency counts from when it was due, so time spent
   * waiting for a connection counts too (no coordinated omission). Unset: a closed loop.
   */
  ratePerSecond?: number;
}

/**
 * Sends `bodies` with `connections` keep-alive connections, each sending its next body as soon as
 * the previous answer is complete (a closed loop, as SDK fleets behind a proxy do) or, with
 * `ratePerSecond`, once it is due (see there), and counts what the acks say.
 */
export async function runHttpLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const result: LoadResult = {
    requests: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    throttled: 0,
    failed: 0,
    errors: [],
    seconds: 0,
    latenciesMs: [],
  };
  const target = new URL(o.url);
  let next = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(o.maxSeconds * 1e9));
  const worker = async () => {
    while (next < o.bodies.length && process.hrtime.bigint() < deadline) {
      const index = next++;
      const body = o.bodies[index]!;
      const due = o.ratePerSecond
        ? start + BigInt(Math.round((index * 1e9) / o.ratePerSecond))
        : undefined;
      if (due !== undefined) await until(due);
      for (;;) {
        const sent = due ?? process.hrtime.bigint();
        let answer: Answer;
        try {
          answer = await post(agent, target, o.key, body);
        } catch (error) {
          fail(result, error instanceof Error ? error.message : String(error));
          break;
        }
        result.requests++;
        if (answer.status === 429) {
          result.throttled++;
          await new Promise((resolve) => setTimeout(resolve, answer.retryAfterMs ?? 1000));
          continue;
        }
        if (answer.status < 200 || answer.status > 299) {
          fail(result, `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
          break;
        }
        result.latenciesMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
        count(result, answer.body);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: o.connections }, worker));
  result.seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return result;
}

/** Resolves at `due` (a `process.hrtime.bigint()` reading), or at once if it passed. */
async function until(due: bigint): Promise<void> {
  const ms = Number(due - process.hrtime.bigint()) / 1e6;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  // A timer may fire a little early: the rest is shorter than a millisecond.
  while (process.hrtime.bigint() < due) await new Promise((resolve) => setImmediate(resolve));
}

function fail(result: LoadResult, reason: string): void {
  result.failed++;
  if (result.errors.length < 5) result.errors.push(reason);
}

/** Adds up an ack: `{ accepted, duplicates?, rejected? }`, rejected as a list or a count. */
function count(result: LoadResult, body: string): void {
  const ack = JSON.parse(body) as { accepted?: number; duplicates?: number; rejected?: unknown };
  result.accepted += ack.accepted ?? 0;
  result.duplicates += ack.duplicates ?? 0;
  const rejected = ack.rejected;
  result.rejected += Array.isArray(rejected)
    ? rejected.length
    : typeof rejected === 'number'
      ? rejected
      : 0;
}

function post(agent: Agent, url: URL, key: string, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const retryAfter = Number(res.headers['retry-after']);
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
