import fs from 'node:fs';
import type pg from 'pg';

const read = (name: string) => fs.readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');

export async function schemaFingerprint(pool: pg.Pool): Promise<{ fingerprint: string; lines: number }> {
  return (await pool.query(read('schema_fingerprint'))).rows[0];
}

export async function storeFingerprint(pool: pg.Pool): Promise<Record<string, unknown>> {
  return (await pool.query(read('store_fingerprint'))).rows[0];
}
