import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DUMP, schemaDump } from '../../src/db/schemaDump.ts';
import { useTestDatabase } from '../support/db.ts';

describe('schema dump (sql/schema/bqx.schema.txt)', () => {
  const t = useTestDatabase();

  it('a migrated database has exactly the committed schema', async () => {
    const live = (await schemaDump(t.pool)).split('\n');
    const committed = fs.readFileSync(SCHEMA_DUMP, 'utf8').split('\n');
    const onlyLive = live.filter((l) => !committed.includes(l)).slice(0, 20);
    const onlyFile = committed.filter((l) => !live.includes(l)).slice(0, 20);
    expect(
      { onlyLive, onlyFile },
      'the migrated schema differs from sql/schema/bqx.schema.txt: if a migration changed it on purpose, run npm run schema:dump and commit the file',
    ).toEqual({ onlyLive: [], onlyFile: [] });
    expect(live).toEqual(committed);
  });

  it('names a changed column default, grant and function body', async () => {
    const before = await schemaDump(t.pool);
    await t.pool.query(`alter table bqx.settings alter column description set default 'x'`);
    await t.pool.query(`grant insert on bqx.settings to bqx_reader`);
    await t.pool.query(`create or replace function bqx.setting(p_key text) returns text language sql stable as $$ select 'tampered' $$`);
    const after = (await schemaDump(t.pool)).split('\n');
    const changed = after.filter((l) => !before.split('\n').includes(l));
    expect(changed).toEqual(
      expect.arrayContaining([
        "column bqx.settings 003 description text not null default 'x'::text",
        'grant INSERT, SELECT on bqx.settings to bqx_reader',
        expect.stringMatching(/^function bqx\.setting\(text\) returns text language sql stable source [0-9a-f]{64}$/),
      ]),
    );
  });
});
