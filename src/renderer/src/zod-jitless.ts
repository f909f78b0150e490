/**
 * Must stay the first import of main.tsx. Zod 4 compiles object parsers with `new Function`
 * unless told otherwise, and probes for eval when a schema is built; the CSP forbids eval (and
 * Trusted Types would report the probe as a violation), so the renderer runs zod jitless.
 */
import { z } from 'zod';

z.config({ jitless: true });
