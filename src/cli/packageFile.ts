import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// Found by the package's own name, so the sources, the compiled dist/ and an installed package all read the same files.
const root = pathToFileURL(createRequire(import.meta.url).resolve('orderbridge/package.json'));

/** A file of the package by its path from the package's root (one that package.json's "files" ships). */
export function packageFile(path: string): URL {
  return new URL(path, root);
}
