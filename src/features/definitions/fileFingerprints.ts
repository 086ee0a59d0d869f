/** The fingerprints of the repository's definitions: the sql/ refresh functions and TECHNICAL_VERSION. */
import fs from 'node:fs';
import path from 'node:path';
import { SQL_DIR } from '../../db/paths.ts';
import { family as familyDef } from '../catalog/index.ts';
import { TECHNICAL_VERSION } from '../technical/technicalVersion.ts';
import { familyFingerprints, functionBody } from './familyFingerprints.ts';

let cached: Map<string, string> | null = null;

export function fileFingerprints(): Map<string, string> {
  cached ??= familyFingerprints((name) => {
    if (familyDef(name).kind === 'ts') return { ts: TECHNICAL_VERSION };
    const file = path.join(SQL_DIR, 'functions', `bqx.refresh_${name}.sql`);
    return fs.existsSync(file) ? { sql: functionBody(fs.readFileSync(file, 'utf8')) } : null;
  });
  return cached;
}
