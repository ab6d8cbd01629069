/**
 * The package's root folder, found from this module's location, so that data files shipped with the
 * package (built-in items.xml, the demo project) are found both from sources (tests) and from `dist/`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('commerce-sandbox: cannot find the package root');
    dir = parent;
  }
  cached = dir;
  return dir;
}
