// The zod building blocks of the settings table (settings.ts): inputs and flags arrive as text,
// and an unset action input is "".
import { z } from 'zod';

/** A number given as a number or as text (inputs and flags are text). */
export const numberLike = (inner: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v) ? Number(v) : v), inner);
export const num = (what: string) => numberLike(z.number({ error: `expected ${what}` }));
export const posInt = (what: string) =>
  numberLike(
    z
      .number({ error: `expected ${what}` })
      .int(`expected ${what}`)
      .positive(`expected ${what}`),
  );
export const posNum = (what: string) =>
  numberLike(z.number({ error: `expected ${what}` }).positive(`expected ${what}`));
export const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE']).transform((s) => s.toLowerCase() === 'true'),
]);
/** "" (an unset action input) and null mean "not given". */
export const optional = <T extends z.ZodType>(t: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), t.optional());
