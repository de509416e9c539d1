// `npm run build`: build the site, precompress it and stamp it, so `npm start` knows it is fresh.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from './site-build.ts';

await buildSite(join(dirname(fileURLToPath(import.meta.url)), '..'));
