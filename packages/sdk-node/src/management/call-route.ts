import { ValidationError } from './api-error';
import type { Query, RestClient } from './rest-client';
import type { VerbRoute } from './routes';

type Input = Record<string, unknown>;

function asObject(input: unknown): Input {
  return typeof input === 'object' && input !== null && !Array.isArray(input)
    ? (input as Input)
    : {};
}

/** The id a verb names (`{ id }`, or the id itself for `get`), checked before any request. */
function idOf(input: unknown, method: string, path: string): string {
  const id = typeof input === 'string' ? input : asObject(input).id;
  if (typeof id === 'string' && id !== '') return id;
  const message = 'id must be a non-empty string (an entity id, or a flag key or metric name)';
  throw new ValidationError(400, 'invalid_input', message, { method, path }, [
    { path: ['id'], message },
  ]);
}

function withoutId(input: unknown): Input {
  const { id: _id, ...rest } = asObject(input);
  return rest;
}

/** A `find` input as the list route's query: `filter` travels as JSON. */
function findQuery(input: unknown): Query {
  const { filter, sort, limit, offset, asOf } = asObject(input) as Record<string, never>;
  return {
    filter: filter === undefined ? undefined : JSON.stringify(filter),
    sort,
    limit,
    offset,
    asOf,
  };
}

/** Runs verb `verb` of the collection at `/v1/<path>` as `route` says, in `environment`. */
export async function callRoute(
  rest: RestClient,
  path: string,
  verb: string,
  route: VerbRoute,
  input: unknown,
  environment: string,
): Promise<unknown> {
  const base = `/v1/${path}`;
  const env = { environment };
  const item = (method: string) => `${base}/${encodeURIComponent(idOf(input, method, base))}`;
  switch (route.kind) {
    case 'create':
      return rest.request('POST', base, env, asObject(input));
    case 'find':
      return rest.request('GET', base, { ...findQuery(input), ...env });
    case 'get':
      return rest.request('GET', item('GET'), env);
    case 'update':
      return rest.request('PATCH', item('PATCH'), env, withoutId(input));
    case 'delete':
      return rest.request('DELETE', item('DELETE'), env);
    case 'action':
      return rest.request('POST', `${item('POST')}/${verb}`, env, withoutId(input));
    case 'post':
    case 'compute':
      return rest.request('POST', `${base}/${route.sub}`, env, asObject(input));
    case 'read':
      return rest.request('GET', `${item('GET')}/${route.sub}`, {
        ...(withoutId(input) as Query),
        ...env,
      });
    case 'list': {
      const query = asObject(input) as Query;
      const page = await rest.request<{ data: unknown }>('GET', `${base}/${route.sub}`, {
        ...query,
        ...env,
      });
      return page.data;
    }
  }
}
