import { z } from 'zod';
import { potConfigSchema } from '../../shared/pot-config.js';

export const potsFileSchema = z.object({
  pots: z.array(potConfigSchema).max(1000),
});
