import { Router } from 'express';
import * as z from 'zod';
import type { Clock } from '../../clock';
import { ValidationError } from '../../errors';
import { EnvironmentNameSchema } from '../../service/environments';
import type { Environments } from '../../service/environments';
import { bodyObject } from '../request-input';

const EnvironmentCreateSchema = z.strictObject({ name: EnvironmentNameSchema });

/** `/v1/environments`: list and create environments. */
export function environmentsRouter(environments: Environments, clock: Clock): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    res.json({ data: (await environments.list()).map((name) => ({ name })) });
  });
  router.post('/', async (req, res) => {
    const parsed = EnvironmentCreateSchema.safeParse(bodyObject(req));
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'environment');
    await environments.create(parsed.data.name, clock.now());
    res.status(201).json({ name: parsed.data.name });
  });
  return router;
}
