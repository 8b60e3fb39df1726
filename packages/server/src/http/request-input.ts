import type { Request, Response } from 'express';
import { ForbiddenError, ValidationError } from '../errors';
import { DEFAULT_ENVIRONMENT } from '../service/switchyard';
import { EnvironmentNameSchema } from '../service/environments';
import { keyOf } from './auth';

/** The JSON body as an object: absent is `{}`, anything but an object is a 400. */
export function bodyObject(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw ValidationError.at([], 'the body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** One query parameter as a string, or undefined; repeated parameters are a 400. */
export function queryString(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    throw ValidationError.at([name], `give ${name} once, as a plain value`);
  return value;
}

/** A query parameter that holds an integer, passed on as a number (zod checks the range). */
export function queryNumber(req: Request, name: string): number | string | undefined {
  const value = queryString(req, name);
  if (value === undefined) return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** A query parameter that holds JSON. */
export function queryJson(req: Request, name: string): unknown {
  const value = queryString(req, name);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    throw ValidationError.at([name], `${name} is not valid JSON`);
  }
}

/**
 * The environment a request works in: `?environment=` (default development) for admin keys;
 * an SDK key's own, which `?environment=` may only repeat.
 */
export function environmentOf(req: Request, res: Response): string {
  const asked = queryString(req, 'environment');
  if (asked !== undefined && !EnvironmentNameSchema.safeParse(asked).success) {
    throw ValidationError.at(['environment'], `'${asked}' is not an environment name`);
  }
  const key = keyOf(res);
  if (key.environment === null) return asked ?? DEFAULT_ENVIRONMENT;
  if (asked !== undefined && asked !== key.environment) {
    throw new ForbiddenError(`this key belongs to environment '${key.environment}'`);
  }
  return key.environment;
}

/** Who the domain log names for a request's verbs. */
export function actorOf(res: Response): string {
  const key = keyOf(res);
  return `${key.kind}:${key.id}`;
}

/** The `find` input of a list request: `filter` (JSON), `sort`, `limit`, `offset`, `asOf`. */
export function findQuery(req: Request): Record<string, unknown> {
  const input: Record<string, unknown> = {
    filter: queryJson(req, 'filter'),
    sort: queryString(req, 'sort'),
    limit: queryNumber(req, 'limit'),
    offset: queryNumber(req, 'offset'),
    asOf: queryNumber(req, 'asOf'),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
