// `npm run build`: build the site and stamp it, so `npm start` knows it is fresh.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite } from './site-build.ts';

buildSite(join(dirname(fileURLToPath(import.meta.url)), '..'));
