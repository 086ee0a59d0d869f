/** Locations inside the repository, resolved from this file so the CLI works from any working directory. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MIGRATIONS_DIR = path.join(ROOT, 'migrations');
export const SQL_DIR = path.join(ROOT, 'sql');
/** Order matters only for views, which may read functions; PL/pgSQL bodies are late-bound. */
export const SQL_APPLY_DIRS = ['functions', 'partitions', 'views'] as const;
