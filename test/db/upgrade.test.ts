/**
 * Upgrades of a populated store (issue 15, item 4). A store is filled by the release of 76a5c77 (the head
 * of main when the issue was filed; test/fixtures holds it, so no git history is needed), with its own
 * CLI as a child process; then this checkout's `bqx migrate` upgrades it. Every family whose definition
 * changed since is listed as stale by `bqx status --json` and no other one is; the expected set is found
 * here independently, from the release's refresh functions, calculator sources and catalog against this
 * checkout's, closed over dependsOn. After `bqx refresh` every family table equals a fresh build of the
 * same bars on this checkout in another database: bit for bit (row text) for m1 and the SQL families,
 * within 1e-9 for the TypeScript ones.
 * Then a synthetic upgrade of a store this checkout filled: a patched copy of the repository adds a column
 * to a family in the middle of the order and a new family before the bqx-dependent ones; its generators
 * write the SQL and the migration, its `bqx migrate` and `bqx refresh` bring the store to what a fresh
 * build of the copy holds.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, ROOT } from '../../src/db/paths.ts';
import { CROSS_SECTIONAL, FAMILIES, type FamilyDef, family } from '../../src/features/catalog/index.ts';
import { functionBody } from '../../src/features/definitions/familyFingerprints.ts';
import { normaliseSql } from '../../src/features/definitions/normaliseSql.ts';
import { refreshableFamilies } from '../../src/runner/refreshFamily.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { bqxCli, type Cli, type CliResult } from '../support/cli.ts';
import { createDatabase, type TestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { compareRows } from '../support/reference/compare.ts';
import { extractRelease, RELEASE_COMMIT } from '../support/release.ts';
import { copyRepo, type RepoCopy } from '../support/repoCopy.ts';
import { applySyntheticChange } from '../support/syntheticChange.ts';

// Two pairs, so stale rows are listed per pair (every family `bqx refresh` computes is per pair; the
// cross-pair currency_strength is the demo's, not refreshed here).
const PAIRS = ['eurusd', 'usdjpy'];
// Wednesday 31 July to Thursday 1 August 2024: 2880 bars a pair (past the technical families' 2000-bar
// warm-up), in two months, so stale rows are listed per month and refreshes cross a partition boundary.
const FROM = Date.UTC(2024, 6, 31);
const TO = Date.UTC(2024, 7, 2);
const WARM_UP = 2000;
const TS_FAMS = new Set(['technical_rate', 'technical_bqx']);

type Db = TestDatabase & { drop(): Promise<void> };

function ok(r: CliResult, what: string): CliResult {
  expect(r.code, `${what}\n${r.stderr}`).toBe(0);
  return r;
}

/** Row text of a whole table and of each column (to name what differs), ordered by pair and bar. */
async function digest(db: Db, table: string): Promise<Record<string, unknown>> {
  const cols = (
    await db.pool.query(
      `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
      [`bqx.${table}`],
    )
  ).rows.map((r) => r.attname as string);
  const perCol = cols.map((c) => `md5(string_agg(x."${c}"::text, '|' order by pair, ts_utc)) as "${c}"`).join(', ');
  return (
    await db.pool.query(
      `select count(*)::int as rows, md5(string_agg(x::text, '|' order by pair, ts_utc)) as row_text, ${perCol} from bqx."${table}" x`,
    )
  ).rows[0];
}

/** Each table of `db` against `ref`: row text for m1 and the SQL families, 1e-9 relative for the TypeScript ones. */
async function expectSameTables(db: Db, ref: Db, tables: string[]): Promise<void> {
  for (const t of tables) {
    if (TS_FAMS.has(t)) {
      const q = `select * from bqx.${t} order by pair, ts_utc`;
      const [a, e] = [(await db.pool.query(q)).rows, (await ref.pool.query(q)).rows];
      expect(a.length, t).toBe(e.length);
      expect(
        compareRows(
          a,
          e,
          family(t).columns.map((c) => c.name),
          { rel: 1e-9 },
        ),
        t,
      ).toEqual([]);
    } else {
      expect(await digest(db, t), t).toEqual(await digest(ref, t));
    }
  }
}

/**
 * Whether the release's TypeScript source `a` is this checkout's `b` once laid out by the house formatter
 * (this checkout's biome, which has formatted the tree since the release): layout is not definition.
 */
const sameSource = (a: string, b: string): boolean =>
  fs.existsSync(a) &&
  fs.existsSync(b) &&
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'biome'), ['format', `--stdin-file-path=${path.relative(ROOT, b)}`], {
    cwd: ROOT,
    input: fs.readFileSync(a),
  }).equals(fs.readFileSync(b));
/**
 * Whether two refresh function files define the same function: their bodies in the layout-free form
 * (comments and layout are not definition: this checkout generates the release's functions laid out
 * one item per line, with the contract inside). That the families found unchanged this way hold, right
 * after the upgrade, exactly a fresh build's rows (below) is what shows no real change hides in a layout.
 */
const sameFunction = (a: string, b: string): boolean =>
  fs.existsSync(a) &&
  fs.existsSync(b) &&
  normaliseSql(functionBody(fs.readFileSync(a, 'utf8'))) === normaliseSql(functionBody(fs.readFileSync(b, 'utf8')));

/**
 * The families whose definition differs between the release at `oldRoot` and this checkout: an SQL family
 * when the body of its sql/functions/bqx.refresh_<family>.sql differs (sameFunction), a TypeScript one when a source file of the
 * release's calculator (src/features/technical) does (sameSource), either when its columns or inputs changed; then
 * every family reading a changed one, to a fixed point.
 */
async function changedFamilies(oldRoot: string): Promise<string[]> {
  const old = (await import(path.join(oldRoot, 'src', 'features', 'catalog', 'index.ts'))) as { FAMILIES: FamilyDef[] };
  const oldByName = new Map(old.FAMILIES.map((f) => [f.family, f]));
  const techDir = path.join('src', 'features', 'technical');
  const techFiles = fs.readdirSync(path.join(oldRoot, techDir));
  const changed = new Set<string>();
  for (const f of FAMILIES) {
    if (f.kind === 'base') continue;
    const o = oldByName.get(f.family);
    if (o === undefined) continue; // new since the release: never computed, not stale (newFamilies)
    const fn = path.join('sql', 'functions', `bqx.refresh_${f.family}.sql`);
    const definition =
      f.kind === 'ts'
        ? techFiles.every((n) => sameSource(path.join(oldRoot, techDir, n), path.join(ROOT, techDir, n)))
        : sameFunction(path.join(oldRoot, fn), path.join(ROOT, fn));
    const shape =
      o !== undefined &&
      JSON.stringify(o.columns.map((c) => c.name)) === JSON.stringify(f.columns.map((c) => c.name)) &&
      JSON.stringify(o.dependsOn) === JSON.stringify(f.dependsOn);
    if (!definition || !shape) changed.add(f.family);
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of FAMILIES) {
      if (!changed.has(f.family) && f.dependsOn.some((d) => changed.has(d))) {
        changed.add(f.family);
        grew = true;
      }
    }
  }
  return FAMILIES.map((f) => f.family).filter((f) => changed.has(f));
}

/** The refreshable families this checkout has and the release at `oldRoot` has not (Wave 3's fibonacci_features and correlation_features). */
async function newFamilies(oldRoot: string, families: readonly string[]): Promise<string[]> {
  const old = (await import(path.join(oldRoot, 'src', 'features', 'catalog', 'index.ts'))) as { FAMILIES: FamilyDef[] };
  return families.filter((f) => !old.FAMILIES.some((o) => o.family === f));
}

/** Rows per (pair, family, month) of the given families, as `bqx status` lists stale ones. */
async function rowsByMonth(db: Db, families: string[]): Promise<Array<{ pair: string; family: string; month: string; rows: number }>> {
  const out = [];
  for (const f of families) {
    const { rows } = await db.pool.query(
      `select pair, to_char(date_trunc('month', ts_utc), 'YYYY-MM') as month, count(*)::int as rows from bqx."${f}" group by 1, 2`,
    );
    out.push(...rows.map((r) => ({ pair: r.pair as string, family: f, month: r.month as string, rows: r.rows as number })));
  }
  return out.sort(byUnit);
}
const byUnit = (a: { pair: string; family: string; month: string }, b: { pair: string; family: string; month: string }) =>
  `${a.family}/${a.pair}/${a.month}`.localeCompare(`${b.family}/${b.pair}/${b.month}`);

describe(`an upgrade of a store filled by release ${RELEASE_COMMIT.slice(0, 7)}`, () => {
  const head = bqxCli();
  const FAMS = refreshableFamilies();
  const dbs: Db[] = [];
  const copies: RepoCopy[] = [];
  const database = async (opts: { empty?: boolean } = {}) => {
    const d = await createDatabase(opts);
    dbs.push(d);
    return d;
  };
  let csv: string;
  /** Bars the file holds (synthToFile's count). */
  let csvRows: number;
  let release: string;
  let old: Cli;
  /** The store the release filled, upgraded in place. */
  let store: Db;
  /** The same bars, ingested and refreshed by this checkout from scratch. */
  let fresh: Db;
  let stale: string[];
  /** Families new since the release: `bqx migrate` makes their tables, `bqx refresh` fills them. */
  let added: string[];

  beforeAll(async () => {
    ({ file: csv, rows: csvRows } = await synthToFile(tmpPath('upgrade.csv'), { seed: 15, from: FROM, to: TO, pairs: PAIRS }));
    release = extractRelease(tmpPath('release'));
    old = bqxCli(release);
    stale = await changedFamilies(release);
    added = await newFamilies(release, FAMS);
    store = await database({ empty: true });
    ok(await old(store.url, 'migrate'), 'the release migrates an empty database');
    ok(await old(store.url, 'ingest', csv), 'the release ingests');
    ok(await old(store.url, 'refresh', '--pairs', PAIRS.join(','), '--json'), 'the release refreshes');
    fresh = await database();
    ok(await head(fresh.url, 'ingest', csv), 'this checkout ingests');
    ok(await head(fresh.url, 'refresh', '--pairs', PAIRS.join(','), '--json'), 'this checkout refreshes');
  });

  afterAll(async () => {
    for (const d of dbs) await d.drop();
    for (const c of copies) c.remove();
  });

  it('is filled by the release: a row for every bar in every family, and some definitions changed since', async () => {
    const m1 = (await store.pool.query(`select count(*)::int as n from bqx.m1`)).rows[0].n;
    // every bar of the file, each pair past the warm-up, in two months
    expect(m1).toBe(csvRows);
    const perPair = (
      await store.pool.query(
        `select pair, count(*)::int as n, count(distinct date_trunc('month', ts_utc))::int as months from bqx.m1 group by pair order by pair`,
      )
    ).rows;
    expect(perPair.map((r) => r.pair)).toEqual([...PAIRS].sort());
    for (const r of perPair) {
      expect(r.n, r.pair).toBeGreaterThan(WARM_UP);
      expect(r.months, r.pair).toBe(2);
    }
    expect(added).toEqual(['fibonacci_features', 'correlation_features']);
    for (const f of FAMS.filter((x) => !added.includes(x)))
      expect((await store.pool.query(`select count(*)::int as n from bqx."${f}"`)).rows[0].n, f).toBe(m1);
    // the release differs from this checkout in the moment, volume and spread functions (numerics work)
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.every((f) => FAMS.includes(f))).toBe(true);
  });

  it('is upgraded by `bqx migrate`; the families whose definition did not change already equal a fresh build', async () => {
    ok(await head(store.url, 'migrate'), 'bqx migrate on the populated store');
    const files = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
    const applied = (await store.pool.query(`select count(*)::int as n from public.bqx_migrations`)).rows[0].n;
    expect(applied).toBe(files);
    await expectSameTables(store, fresh, ['m1', ...FAMS.filter((f) => !stale.includes(f) && !added.includes(f))]);
    // a family new since the release has its (empty) tables after the migrate, and is filled by the refresh below
    for (const f of added) expect((await store.pool.query(`select count(*)::int as n from bqx."${f}"`)).rows[0].n, f).toBe(0);
    // the changed ones hold the old definition's values: only a recompute makes them equal (the test has teeth)
    const differ = [];
    for (const f of stale) if (JSON.stringify(await digest(store, f)) !== JSON.stringify(await digest(fresh, f))) differ.push(f);
    expect(differ.length).toBeGreaterThan(0);
  });

  it('lists exactly the changed families as stale, per pair and month, with the fingerprint that computed them and the current one', async () => {
    const st = JSON.parse(ok(await head(store.url, 'status', '--json'), 'bqx status --json').stdout);
    expect(st.stale, 'bqx status --json has a stale array').toBeInstanceOf(Array);
    const entries = st.stale as Array<{ pair: string; family: string; month: string; rows: number; computedWith: string; current: string }>;
    expect([...new Set(entries.map((s) => s.family))].sort()).toEqual([...stale].sort());
    expect(entries.map(({ pair, family: f, month, rows }) => ({ pair, family: f, month, rows })).sort(byUnit)).toEqual(
      await rowsByMonth(store, stale),
    );
    const current = new Map(
      (await store.pool.query(`select family, fingerprint from bqx.families`)).rows.map((r) => [r.family, r.fingerprint]),
    );
    for (const s of entries) {
      expect(s.current, s.family).toBe(current.get(s.family));
      expect(s.computedWith, s.family).not.toBe(s.current);
    }
    const doctor = await head(store.url, 'doctor');
    expect(doctor.stdout + doctor.stderr).toMatch(/stale/);
  });

  it('is, after `bqx refresh`, what a fresh build on this checkout holds, every family; the refresh recomputed only the stale ones', async () => {
    const r = ok(await head(store.url, 'refresh', '--pairs', PAIRS.join(','), '--json'), 'bqx refresh after the upgrade');
    const units = JSON.parse(r.stdout) as Array<{ family: string; status: string }>;
    expect(units.every((u) => u.status === 'ok')).toBe(true);
    // the stale families recomputed, and the new ones computed from their first bar; the cross-section
    // (bqx.currency_strength, bqx.cross_returns: no table of the release) too, one unit each for the pairs
    const cross = CROSS_SECTIONAL.map((f) => f.family);
    expect([...new Set(units.map((u) => u.family))].sort()).toEqual([...stale, ...added, ...cross].sort());
    await expectSameTables(store, fresh, ['m1', ...FAMS]);
    const st = JSON.parse(ok(await head(store.url, 'status', '--json'), 'bqx status --json').stdout);
    expect(st.stale).toEqual([]);
    expect(st.completeness.complete).toBe(true);
    expect(ok(await head(store.url, 'doctor'), 'bqx doctor').stdout).toMatch(/^ok: /);
  });

  it('takes a catalog change: a column added to time_features, a family added before the bqx-dependent ones', async () => {
    const repo = copyRepo();
    copies.push(repo);
    const migrations = path.join(repo.dir, 'migrations');
    const last = Math.max(
      ...fs
        .readdirSync(migrations)
        .map((f) => Number(f.split('_')[0]))
        .filter(Number.isFinite),
    );
    await applySyntheticChange(repo);
    expect(fs.readdirSync(migrations).filter((f) => Number(f.split('_')[0]) > last)).toHaveLength(1);
    const modified: Cli = (url, ...args) => repo.bqx(url!, ...args);
    const fams = FAMS.flatMap((f) => (f === 'bqx' ? ['bqx', 'bar_shape'] : [f]));
    // the store this checkout filled (and the previous test compared): upgraded to the copy
    ok(await modified(fresh.url, 'migrate'), "the copy's bqx migrate on a populated store");
    ok(await modified(fresh.url, 'refresh', '--pairs', PAIRS.join(','), '--json'), "the copy's bqx refresh");
    const m1 = (await fresh.pool.query(`select count(*)::int as n from bqx.m1`)).rows[0].n;
    // the new family and column hold what m1 says, on every bar
    const shape = `select count(*)::int as n from bqx.bar_shape s join bqx.m1 m using (pair, ts_utc) where s.bar_range = m.high - m.low and s.bar_body = m.close - m.open`;
    expect((await fresh.pool.query(shape)).rows[0].n).toBe(m1);
    const sydney = `select count(*) filter (where t.is_sydney = case when extract(hour from m.ts_utc at time zone 'UTC') >= 21 or extract(hour from m.ts_utc at time zone 'UTC') < 6 then 1 else 0 end)::int as n,
      count(*) filter (where t.is_sydney = 1)::int as ones from bqx.time_features t join bqx.m1 m using (pair, ts_utc)`;
    const syd = (await fresh.pool.query(sydney)).rows[0];
    expect(syd.n).toBe(m1);
    expect(syd.ones).toBeGreaterThan(0);
    // a fresh build of the copy: the same tables, bit for bit
    const rebuilt = await database({ empty: true });
    ok(await modified(rebuilt.url, 'migrate'), "the copy's bqx migrate on an empty database");
    ok(await modified(rebuilt.url, 'ingest', csv), "the copy's ingest");
    ok(await modified(rebuilt.url, 'refresh', '--pairs', PAIRS.join(','), '--json'), "the copy's refresh");
    await expectSameTables(fresh, rebuilt, ['m1', ...fams]);
    expect(ok(await modified(fresh.url, 'doctor'), "the copy's bqx doctor").stdout).toMatch(/^ok: /);
  });
});
