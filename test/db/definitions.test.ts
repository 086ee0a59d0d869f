/**
 * Versioned feature definitions (issue 15, item 2). A definition change is simulated in the database,
 * never in the repository's files: a refresh function replaced by a perturbed body (create or replace),
 * the rows computed with it, then `migrate` re-applies the real file. The store then lists exactly the
 * (pair, family, month)s computed under the old definition (bqx status, bqx doctor), refuses them to a
 * dataset unless --allow-stale, catches them up in bounded units, newest first, after a runner tick's new
 * bars, resumes a catch-up killed mid-way, and ends equal to a fresh build in another database: bit for
 * bit for the SQL families, within 1e-9 for the TypeScript ones. The upgrade of a store without records
 * (a store filled by an older commit) records its rows under the functions live when migrate starts; one
 * recorded under the first fingerprint algorithm (the raw body) has its records moved to the layout-free
 * one, so a function only laid out anew leaves its rows current.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveFingerprints } from '../../src/db/liveFingerprints.ts';
import { migrate } from '../../src/db/migrate.ts';
import { ROOT } from '../../src/db/paths.ts';
import { withClient } from '../../src/db/tx.ts';
import { FAMILIES } from '../../src/features/catalog/index.ts';
import { fileFingerprints } from '../../src/features/definitions/fileFingerprints.ts';
import { ingestSource } from '../../src/ingest/ingest.ts';
import { openSource } from '../../src/ingest/openSource.ts';
import { buildDatasetFiles } from '../../src/pipeline/buildDatasetFiles.ts';
import { checkDefinitions } from '../../src/pipeline/checkDefinitions.ts';
import { inputWindow } from '../../src/runner/inputWindow.ts';
import { refreshableFamilies } from '../../src/runner/refreshFamily.ts';
import { outcomeError, runAndCheck } from '../../src/runner/refreshUntilComplete.ts';
import { runnerTick } from '../../src/runner/runnerTick.ts';
import { incrementalPlan } from '../../src/runner/runPairs.ts';
import type { UnitResult } from '../../src/runner/runUnit.ts';
import { staleRows } from '../../src/runner/staleRows.ts';
import { status } from '../../src/runner/status.ts';
import { synthToFile } from '../../src/synth/synthesize.ts';
import { doctor } from '../../src/verify/doctor.ts';
import { cloneDatabase, createDatabase, type TestDatabase } from '../support/db.ts';
import { tmpPath } from '../support/files.ts';
import { expectSameStore, tableDigest } from '../support/sameStore.ts';

const run = promisify(execFile);
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');
const PAIR = 'eurusd';
const FROM = Date.UTC(2024, 5, 17);
const TAIL = Date.UTC(2024, 6, 4, 12);
const TO = Date.UTC(2024, 6, 6);
const DAY = 86_400_000;
const MINUTE = 60_000;
const FAMS = refreshableFamilies();
const TS_FAMS = new Set(['technical_rate', 'technical_bqx']);
const BQX_READERS = FAMILIES.filter((f) => f.dependsOn.includes('bqx')).map((f) => f.family);
const LONG = 900_000;

type Db = TestDatabase & { drop(): Promise<void> };

const refresh = (db: Db) =>
  runAndCheck(db.pool, [PAIR], incrementalPlan(FAMS), { concurrency: 1, trigger: 'refresh', checkCompleteness: true });
const digest = (db: Db, fam: string) => tableDigest(db.pool, fam);
/** Rows per UTC month of a family table, as the stale list counts them. */
const monthRows = async (db: Db, fam: string) =>
  (
    await db.pool.query(
      `select to_char(date_trunc('month', ts_utc, 'UTC'), 'YYYY-MM') as month, count(*)::int as n from bqx.${fam} where pair = $1 group by 1 order by 1`,
      [PAIR],
    )
  ).rows as Array<{ month: string; n: number }>;

/** Replaces the live body of bqx.refresh_<fam> by `edit(body)` (create or replace, the file untouched). */
async function perturb(pool: pg.Pool, fam: string, edit: (def: string) => string): Promise<void> {
  const def = (
    await pool.query(`select pg_get_functiondef(format('bqx.%I(text,timestamptz,timestamptz)', $1::text)::regprocedure) as d`, [
      `refresh_${fam}`,
    ])
  ).rows[0].d as string;
  const changed = edit(def);
  expect(changed).not.toBe(def);
  await pool.query(changed);
}
/** bqx's 15-bar return times 16 instead of 15: every bqx value read downstream changes. */
const BQX_EDIT = (d: string) =>
  d.replace('then 15 * ((pa - y) + pdm15) / y end as "w15_bqx_return"', 'then 16 * ((pa - y) + pdm15) / y end as "w15_bqx_return"');

describe('versioned feature definitions', () => {
  let files: { all: string; head: string; tail: string };
  let clean: Db;
  let db: Db;
  const dbs: Db[] = [];
  const fresh = async () => {
    const d = await createDatabase();
    dbs.push(d);
    return d;
  };
  const current = fileFingerprints();

  /** Every family table of `d` against the clean build. */
  const expectSameAsClean = async (d: Db) => expectSameStore(d.pool, clean.pool, FAMS);

  beforeAll(async () => {
    const all = tmpPath('defs-all.csv');
    await synthToFile(all, { seed: 15, from: FROM, to: TO, pairs: [PAIR] });
    const [header, ...body] = fs.readFileSync(all, 'utf8').trimEnd().split('\n');
    const tail = new Date(TAIL).toISOString();
    const write = (p: string, keep: (ts: string) => boolean) => {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, [header, ...body.filter((l) => keep(l.split(',')[1]!))].join('\n') + '\n');
      return p;
    };
    files = { all, head: write(tmpPath('defs-head.csv'), (ts) => ts < tail), tail: write(tmpPath('defs-tail.csv'), (ts) => ts >= tail) };
    clean = await fresh();
    await ingestSource(clean.pool, openSource(files.all));
    expect(outcomeError(await refresh(clean), 'refresh')).toBeNull();
  }, LONG);

  afterAll(async () => {
    for (const d of dbs) await d.drop();
  }, LONG);

  it(
    'computes the same fingerprint from the files, from pg_proc and in the catalog, and records every refresh under it',
    async () => {
      const live = await withClient(clean.pool, (c) => liveFingerprints(c));
      expect(Object.fromEntries(live)).toEqual(Object.fromEntries(current));
      const catalog = (await clean.pool.query(`select family, fingerprint from bqx.families where fingerprint is not null order by family`))
        .rows;
      expect(Object.fromEntries(catalog.map((r) => [r.family, r.fingerprint]))).toEqual(Object.fromEntries(current));
      expect((await clean.pool.query(`select fingerprint from bqx.families where family = 'm1'`)).rows[0].fingerprint).toBeNull();
      // one record per family, under its live fingerprint, over every row
      const rec = (
        await clean.pool.query(
          `select family, fingerprint, spans::text as spans, (select min(ts_utc) from bqx.m1) as lo from bqx.family_definitions order by family`,
        )
      ).rows;
      expect(rec.map((r) => r.family).sort()).toEqual([...FAMS].sort());
      for (const r of rec) expect(r.fingerprint, r.family).toBe(current.get(r.family));
      expect(await staleRows(clean.pool)).toEqual([]);
    },
    LONG,
  );

  it(
    'upgrades a store without records: its rows are recorded under the functions live when migrate starts',
    async () => {
      // the clean build's bars and rows, copied (the same ingest and refresh again would build it anew)
      const old = await cloneDatabase(clean);
      dbs.push(old);
      // an older commit's store: rows, no records, and (here) another statistics_rate body live
      await old.pool.query(`delete from bqx.family_definitions`);
      // (a token changed: a comment or another layout is not another definition, see the next test)
      await perturb(old.pool, 'statistics_rate', (d) => d.replace('\ndeclare\n', '\ndeclare\n  v_older int;\n'));
      await migrate(old.pool);
      const fps = await withClient(old.pool, (c) => liveFingerprints(c));
      expect(fps.get('statistics_rate')).toBe(current.get('statistics_rate'));
      const recorded = (await old.pool.query(`select family, fingerprint from bqx.family_definitions where pair = $1`, [PAIR])).rows;
      expect(recorded.length).toBe(FAMS.length);
      for (const r of recorded) expect(r.fingerprint === current.get(r.family), r.family).toBe(r.family !== 'statistics_rate');
      // exactly statistics_rate is stale, every row of it, month by month; the rest is current
      const want = (await monthRows(old, 'statistics_rate')).map((m) => ({
        pair: PAIR,
        family: 'statistics_rate',
        month: m.month,
        rows: m.n,
      }));
      expect(want.map((w) => w.month)).toEqual(['2024-06', '2024-07']);
      const st = await status(old.pool);
      expect(st.stale.map(({ computedWith: _c, current: _k, ...s }) => s)).toEqual(want);
      expect(st.stale.every((s) => s.current === current.get('statistics_rate') && s.computedWith !== s.current)).toBe(true);
      const doc = await doctor(old.pool);
      expect(doc.ok).toBe(true);
      expect(doc.warnings.map((w) => w.object)).toEqual(want.map(() => 'bqx.statistics_rate'));
      // a second migrate records nothing more; a refresh catches up
      await migrate(old.pool);
      expect((await old.pool.query(`select count(*)::int as n from bqx.family_definitions`)).rows[0].n).toBe(FAMS.length);
      const out = await refresh(old);
      expect(outcomeError(out, 'refresh')).toBeNull();
      const wrote = out.units.filter((u) => u.rows > 0);
      expect(wrote.length).toBeGreaterThan(0);
      expect(new Set(wrote.map((u) => u.family))).toEqual(new Set(['statistics_rate']));
      expect(await staleRows(old.pool)).toEqual([]);
      expect(await digest(old, 'statistics_rate')).toEqual(await digest(clean, 'statistics_rate'));
      await old.drop();
      dbs.splice(dbs.indexOf(old), 1);
    },
    LONG,
  );

  it(
    'upgrades a store recorded under the raw-body fingerprints: a layout change is no definition change, a token change is',
    async () => {
      const old = await fresh();
      await ingestSource(old.pool, openSource(files.head));
      expect(outcomeError(await refresh(old), 'refresh')).toBeNull();
      // an older commit's store: its functions laid out otherwise (every line indented, a comment added),
      // statistics_rate's also a token different, and every record under the first algorithm's fingerprint
      for (const f of FAMILIES.filter((x) => x.kind === 'sql')) {
        await perturb(old.pool, f.family, (d) => {
          const relaid = d.replaceAll('\n', '\n ').replace('$function$', '$function$\n-- an older layout');
          return f.family === 'statistics_rate' ? relaid.replace('\n declare\n', '\n declare\n  v_older int;\n') : relaid;
        });
      }
      const raw = await withClient(old.pool, (c) => liveFingerprints(c, undefined, 'raw'));
      const layoutFree = await withClient(old.pool, (c) => liveFingerprints(c));
      for (const f of FAMS) {
        // the first algorithm differs wherever an SQL body enters (technical_rate's reads m1 alone)
        expect(raw.get(f) === current.get(f), f).toBe(f === 'technical_rate');
        expect(layoutFree.get(f) === current.get(f), f).toBe(f !== 'statistics_rate');
      }
      for (const [f, fp] of raw) await old.pool.query(`update bqx.family_definitions set fingerprint = $2 where family = $1`, [f, fp]);
      await migrate(old.pool);
      // the records moved to the current algorithm: every family but statistics_rate is current again
      const recorded = (await old.pool.query(`select family, fingerprint from bqx.family_definitions where pair = $1`, [PAIR])).rows;
      expect(recorded.map((r) => r.family).sort()).toEqual([...FAMS].sort());
      for (const r of recorded) expect(r.fingerprint === current.get(r.family), r.family).toBe(r.family !== 'statistics_rate');
      expect([...new Set((await staleRows(old.pool)).map((s) => s.family))]).toEqual(['statistics_rate']);
      // a second migrate moves nothing; a refresh recomputes exactly statistics_rate, to the clean build's rows
      await migrate(old.pool);
      expect(
        (await old.pool.query(`select family, fingerprint from bqx.family_definitions where pair = $1`, [PAIR])).rows.sort((a, b) =>
          a.family.localeCompare(b.family),
        ),
      ).toEqual([...recorded].sort((a, b) => a.family.localeCompare(b.family)));
      const out = await refresh(old);
      expect(outcomeError(out, 'refresh')).toBeNull();
      expect(new Set(out.units.filter((u) => u.rows > 0).map((u) => u.family))).toEqual(new Set(['statistics_rate']));
      expect(await staleRows(old.pool)).toEqual([]);
      await old.drop();
      dbs.splice(dbs.indexOf(old), 1);
    },
    LONG,
  );

  it(
    'lists the rows of a changed upstream definition and of every family reading it, per month (status, doctor)',
    async () => {
      db = await fresh();
      await ingestSource(db.pool, openSource(files.head));
      await perturb(db.pool, 'bqx', BQX_EDIT);
      expect(outcomeError(await refresh(db), 'refresh')).toBeNull();
      expect(await staleRows(db.pool)).toEqual([]); // computed with the live (perturbed) definition
      const perturbed = await withClient(db.pool, (c) => liveFingerprints(c));
      await migrate(db.pool); // the real file again: the old definition's rows stay
      const st = await status(db.pool);
      const want = [];
      for (const f of FAMS.filter((x) => x === 'bqx' || BQX_READERS.includes(x)).sort()) {
        for (const m of await monthRows(db, f))
          want.push({ pair: PAIR, family: f, month: m.month, rows: m.n, computedWith: perturbed.get(f), current: current.get(f) });
      }
      expect(want.length).toBe(2 * (1 + BQX_READERS.length));
      const byKey = (a: { family: string; month: string }, b: { family: string; month: string }) =>
        `${a.family} ${a.month}`.localeCompare(`${b.family} ${b.month}`);
      expect([...st.stale].sort(byKey)).toEqual(want.sort(byKey));
      const json = JSON.parse(
        (await run(process.execPath, [BIN, 'status', '--json', '--database-url', db.url], { maxBuffer: 1 << 24 })).stdout,
      );
      expect(json.stale.length).toBe(want.length);
      const text = (await run(process.execPath, [BIN, 'doctor', '--database-url', db.url])).stdout;
      expect(text).toMatch(/warnings \(rows of an older definition/);
      for (const w of want) expect(text).toContain(`${PAIR} ${w.month}: ${w.rows} rows computed with definition ${w.computedWith}`);
    },
    LONG,
  );

  it(
    'refuses a dataset over stale rows unless --allow-stale, which the manifest records',
    async () => {
      const out = tmpPath('defs-ds');
      const features = 'statistics_rate,statistics_bqx,time_features';
      const cli = await run(process.execPath, [
        BIN,
        'dataset',
        'build',
        '--pairs',
        PAIR,
        '--from',
        '2024-06-18',
        '--to',
        '2024-07-04',
        '--features',
        features,
        '--out',
        out,
        '--database-url',
        db.url,
      ]).then(
        () => null,
        (e) => e,
      );
      expect(cli?.code).toBe(9);
      expect(cli.stderr).toMatch(/BQX_DATASET_STALE.*rows of 2 \(pair, family\)/);
      expect(cli.stderr).toContain(`${PAIR}/statistics_bqx: 2024-06, 2024-07`);
      expect(cli.stderr).toContain(`${PAIR}/labels: 2024-06, 2024-07`);
      expect(cli.stderr).not.toContain(`${PAIR}/statistics_rate`);
      expect(cli.stderr).toMatch(/bqx refresh --pairs eurusd/);
      expect(cli.stderr).toMatch(/--allow-stale/);
      expect(fs.existsSync(out)).toBe(false);
      // a range of current rows only: none of the families it reads is stale there
      await expect(
        checkDefinitions(db.pool, [PAIR], ['statistics_rate', 'time_features'], { from: FROM, to: TAIL }, false),
      ).resolves.toMatchObject({ stale: [] });
      // allowed: statistics_bqx's stale rows differ from what the live definition computes, so the leakage
      // recompute leaves its columns out (and says so); statistics_rate's are still compared
      const r = await buildDatasetFiles(db.pool, {
        pairs: [PAIR],
        from: Date.UTC(2024, 5, 18),
        to: Date.UTC(2024, 6, 4),
        features,
        top: 10,
        trees: 6,
        maxDepth: 5,
        seed: 7,
        concurrency: 1,
        out,
        maxMissing: 0.01,
        maxGapMinutes: 60,
        selectRows: 5000,
        permutationRows: 1000,
        fitRows: 10_000,
        allowStale: true,
      });
      const m = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
      expect(m.definitions.allowStale).toBe(true);
      expect(m.options.allowStale).toBe(true);
      expect(new Set(m.definitions.stale.map((s: { family: string }) => s.family))).toEqual(new Set(['statistics_bqx', 'labels']));
      expect(m.definitions.stale.map((s: { family: string; month: string }) => `${s.family} ${s.month}`).sort()).toEqual([
        'labels 2024-06',
        'labels 2024-07',
        'statistics_bqx 2024-06',
        'statistics_bqx 2024-07',
      ]);
      const recomputed = m.leakage[PAIR].recomputed;
      expect(recomputed.skippedStale).toEqual(['statistics_bqx']);
      expect(recomputed.columns).toBe(r.featureSet.columns.filter((c) => c.family !== 'statistics_bqx').length);
      expect(recomputed.columns).toBeGreaterThan(0);
      for (const f of [...r.featureSet.families, 'labels']) expect(m.definitions.fingerprints[f], f).toBe(current.get(f));
    },
    LONG,
  );

  it(
    'a runner tick computes its new bars first, and records those read from stale rows as stale',
    async () => {
      const watch = tmpPath('defs-watch');
      fs.rmSync(watch, { recursive: true, force: true });
      fs.mkdirSync(watch, { recursive: true });
      fs.copyFileSync(files.tail, path.join(watch, 'tail.csv'));
      fs.utimesSync(path.join(watch, 'tail.csv'), new Date(Date.now() - 10_000), new Date(Date.now() - 10_000));
      const units: UnitResult[] = [];
      const tick = await runnerTick(db.pool, {
        pairs: [PAIR],
        concurrency: 1,
        watchDir: watch,
        log: () => {},
        settleMs: 200,
        staleBudgetSeconds: 0,
        onUnit: (u) => units.push(u),
      });
      expect(tick.barsInserted).toBeGreaterThan(0);
      expect(tick.staleUnits).toBe(0);
      expect(units.every((u) => u.status === 'ok')).toBe(true);
      const tailStart = (await db.pool.query(`select min(ts_utc) as t from bqx.m1 where ts_utc >= $1`, [new Date(TAIL)])).rows[0].t as Date;
      const rec = async (f: string) =>
        (
          await db.pool.query(
            `select fingerprint from bqx.family_definitions where pair = $1 and family = $2 and spans @> $3::timestamptz`,
            [PAIR, f, tailStart],
          )
        ).rows.map((r) => r.fingerprint);
      expect(await rec('bqx')).toEqual([current.get('bqx')]);
      expect(await rec('statistics_rate')).toEqual([current.get('statistics_rate')]);
      // their inputs before the new bars are still of the old bqx: not current
      for (const f of ['statistics_bqx', 'reg_bqx', 'technical_bqx']) expect(await rec(f), f).toEqual(['inputs-stale']);
      // the stale families are the same; the new bars of bqx's readers count among their stale rows
      const stale = await staleRows(db.pool);
      expect([...new Set(stale.map((s) => s.family))].sort()).toEqual(['bqx', ...BQX_READERS].filter((f) => FAMS.includes(f)).sort());
      const july = async (f: string) => (await monthRows(db, f)).find((m) => m.month === '2024-07')!.n;
      expect(stale.filter((s) => s.family === 'statistics_bqx' && s.month === '2024-07').reduce((n, s) => n + s.rows, 0)).toBe(
        await july('statistics_bqx'),
      );
      expect(stale.filter((s) => s.family === 'bqx' && s.month === '2024-07').reduce((n, s) => n + s.rows, 0)).toBeLessThan(
        await july('bqx'),
      );
    },
    LONG,
  );

  it(
    'catches up in bounded units, newest first, resumes a killed catch-up, and ends equal to a fresh build',
    async () => {
      await db.pool.query(`update bqx.settings set value = '1' where key = 'definition_unit_days'`);
      const bars = (await db.pool.query(`select ts_utc from bqx.m1 where pair = $1 order by ts_utc`, [PAIR])).rows.map((r) =>
        (r.ts_utc as Date).getTime(),
      );
      const end = bars[bars.length - 1]! + MINUTE;
      const barsIn = (a: number, b: number) => bars.filter((t) => t >= a && t < b).length;
      // a tick stopped after a few units (the runner asked to stop): the newest day comes first
      const units: UnitResult[] = [];
      const tick = await runnerTick(db.pool, {
        pairs: [PAIR],
        concurrency: 1,
        log: () => {},
        staleBudgetSeconds: 600,
        onUnit: (u) => units.push(u),
        shouldStop: () => units.length >= 9,
      });
      expect(tick.units).toBe(0); // no new bars
      expect(units.length).toBe(9);
      expect(units.every((u) => u.status === 'ok')).toBe(true);
      const sqlStale = FAMS.filter((f) => (f === 'bqx' || BQX_READERS.includes(f)) && !TS_FAMS.has(f));
      expect(new Set(units.map((u) => u.family))).toEqual(new Set(sqlStale)); // TypeScript families wait for bqx
      // the newest bars first: the first units are every stale reader's newest day, up to the last bar
      const readers = sqlStale.filter((f) => f !== 'bqx');
      const firstChunk = units.slice(
        0,
        units.findIndex((u, i) => i > 0 && FAMS.indexOf(u.family) <= FAMS.indexOf(units[i - 1]!.family)),
      );
      expect(firstChunk.filter((u) => u.family !== 'bqx').map((u) => u.family)).toEqual(readers);
      for (const u of firstChunk.filter((x) => x.family !== 'bqx')) expect(u.to, u.family).toBe(end);
      // then older chunks, each family's units ending earlier and earlier, each at most a day of bars (bqx:
      // plus the bars its readers read before their day)
      for (const f of sqlStale) {
        const tos = units.filter((u) => u.family === f).map((u) => u.to);
        expect(tos, f).toEqual([...tos].sort((a, b) => b - a));
        expect(new Set(tos).size, f).toBe(tos.length);
      }
      const widen = Math.max(...readers.map((f) => inputWindow(f).back));
      for (const u of units) {
        if (u.family === 'bqx') expect(barsIn(u.from, u.to)).toBeLessThanOrEqual(1440 + widen);
        else expect(u.to - u.from, u.family).toBeLessThanOrEqual(DAY);
      }
      // every unit read current inputs: its rows are recorded current (not inputs-stale)
      for (const u of units) {
        const ok = (
          await db.pool.query(
            `select count(*)::int as n from bqx.family_definitions where pair = $1 and family = $2 and fingerprint = $3 and spans @> tstzrange($4, $5)`,
            [PAIR, u.family, current.get(u.family), new Date(u.from), new Date(u.to)],
          )
        ).rows[0].n;
        expect(ok, `${u.family} [${new Date(u.from).toISOString()}, ${new Date(u.to).toISOString()})`).toBe(1);
      }
      const bqxUnits = units.filter((u) => u.family === 'bqx');
      expect(bqxUnits.length).toBeGreaterThan(0);
      const oldBqx = (
        await db.pool.query(
          `select max(upper(r)) as hi from bqx.family_definitions d, unnest(d.spans) r where pair = $1 and family = 'bqx' and fingerprint <> $2`,
          [PAIR, current.get('bqx')],
        )
      ).rows[0].hi as Date;
      expect(oldBqx.getTime()).toBeLessThanOrEqual(Math.min(...bqxUnits.map((u) => u.from)));

      // bqx refresh killed mid-way (SIGKILL after two more units committed): what it committed stays
      const t0 = new Date();
      const child = spawn(process.execPath, [BIN, 'refresh', '--pairs', PAIR, '--database-url', db.url], { stdio: 'ignore' });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
      for (;;) {
        const n = (
          await db.pool.query(
            `select count(*)::int as n from bqx.refresh_runs where trigger = 'refresh' and status = 'ok' and started_at >= $1`,
            [t0],
          )
        ).rows[0].n;
        if (n >= 2) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      await new Promise((r) => setTimeout(r, 300)); // the server ends the killed session's transaction
      expect((await staleRows(db.pool)).length).toBeGreaterThan(0);
      const cli = await run(process.execPath, [BIN, 'refresh', '--pairs', PAIR, '--database-url', db.url], { maxBuffer: 1 << 24 });
      expect(cli.stdout).toMatch(/ok/);
      const st = JSON.parse(
        (await run(process.execPath, [BIN, 'status', '--json', '--database-url', db.url], { maxBuffer: 1 << 24 })).stdout,
      );
      expect(st.stale).toEqual([]);
      expect(st.completeness.complete).toBe(true);
      await expectSameAsClean(db);
      // nothing left: a second refresh plans no catch-up unit
      const again = await refresh(db);
      expect(again.units).toEqual([]);
    },
    LONG,
  );
});
