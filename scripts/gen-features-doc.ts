/** Writes docs/FEATURES.md from the feature catalog: node bin/run-ts.mjs scripts/gen-features-doc.ts */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../src/db/paths.ts';
import { FEATURES_DOC_PATH, featuresDoc } from '../src/docs/featuresDoc.ts';

const text = featuresDoc();
fs.mkdirSync(path.join(ROOT, path.dirname(FEATURES_DOC_PATH)), { recursive: true });
fs.writeFileSync(path.join(ROOT, FEATURES_DOC_PATH), text);
console.log(`wrote ${FEATURES_DOC_PATH} (${text.length} bytes)`);
