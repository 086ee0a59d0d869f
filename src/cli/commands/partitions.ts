import type { Command } from 'commander';
import type pg from 'pg';
import { BqxError } from '../../db/errors.ts';
import { loadSql } from '../../db/loadSql.ts';
import { CROSS_SECTIONAL, FAMILY_NAMES, family as familyDef, parseFamilyList } from '../../features/catalog/index.ts';
import { pairInfo, parsePairList } from '../../features/pairs.ts';
import {
  crossRetentionFloor,
  detachPartition,
  dropCrossPartitions,
  dropPartitions,
  ensureCrossPartitions,
  ensurePartitions,
  listPartitions,
} from '../../runner/partitions.ts';
import { withDatabase } from '../context.ts';
import { parseInstant, parseIntOption, parseRange, type Range } from '../options.ts';
import { type GlobalOptions, printResult, progress, table } from '../output.ts';

const sql = (name: string) => loadSql(import.meta.url, `sql/${name}.sql`);

/** UTC months the half-open range touches. */
export function monthsSpanned(r: Range): number {
  const a = new Date(r.from);
  const b = new Date(r.to - 1);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) + 1;
}

/** Default of bqx.settings.max_range_months, for commands that run without a database (synth --out). */
export const DEFAULT_MAX_RANGE_MONTHS = 36;

/**
 * Refuses a --from/--to range wider than bqx.settings.max_range_months unless --force: a range like
 * --from 2000-01 is almost always a typo, and makes hundreds of tables per family and pair.
 */
export async function checkRangeWidth(pool: pg.Pool | null, command: string, r: Range, force: boolean | undefined): Promise<void> {
  if (force) return;
  const limit = pool ? (await pool.query<{ months: number }>(sql('max_range_months'))).rows[0].months : DEFAULT_MAX_RANGE_MONTHS;
  const months = monthsSpanned(r);
  if (months > limit) {
    throw new BqxError(
      'BQX_BAD_RANGE',
      `${command}: --from ${new Date(r.from).toISOString().slice(0, 10)} --to ${new Date(r.to).toISOString().slice(0, 10)} spans ${months} months, more than ${limit} (bqx.settings.max_range_months)`,
      {
        hint: 'check --from and --to; pass --force if the range is meant (or raise bqx.settings.max_range_months)',
        details: { months, limit },
      },
    );
  }
}

const CROSS_NAMES = CROSS_SECTIONAL.map((f) => f.family);

/**
 * `--family F[,G]|all` for the partition commands: the per-pair families and the cross-sectional tables
 * (currency_strength, cross_returns), which `all` includes. The cross tables are not per pair: --pairs does
 * not select them (their retention floor protects the months any pair still reads).
 */
export function partitionFamilies(spec: string | undefined): { families: string[]; cross: string[] } {
  if (spec === undefined || spec.trim() === '' || spec.trim() === 'all')
    return { families: parseFamilyList(spec).map((f) => f.family), cross: [...CROSS_NAMES] };
  const names = spec.split(',').map((s) => s.trim());
  const rest = names.filter((n) => !CROSS_NAMES.includes(n));
  return {
    families: rest.length ? parseFamilyList(rest.join(',')).map((f) => f.family) : [],
    cross: CROSS_NAMES.filter((n) => names.includes(n)),
  };
}

interface PartOpts extends GlobalOptions {
  family?: string;
  pair?: string;
  pairs?: string;
  from?: string;
  to?: string;
  premake?: string;
  month?: string;
  before?: string;
  retentionMonths?: string;
  force?: boolean;
  dryRun?: boolean;
}

export function register(program: Command): void {
  const parts = program.command('partitions').description('monthly partitions: ensure, list, detach, drop (retention)');

  parts
    .command('ensure')
    .description('make the monthly partitions of [--from, --to) plus --premake months, for families x pairs')
    .option('--family <f>', `family, comma list or all (${[...FAMILY_NAMES, ...CROSS_NAMES].join(', ')})`, 'all')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .requiredOption('--from <date>', 'first month (YYYY-MM or date, UTC)')
    .requiredOption('--to <date>', 'end, exclusive (YYYY-MM or date, UTC)')
    .option('--premake <n>', 'empty months beyond --to (default: bqx.settings premake_months = 2)')
    .option('--force', 'take a range wider than bqx.settings.max_range_months (36)')
    .option('--json', 'print the result as JSON')
    .action(async (o: PartOpts) => {
      const { families, cross } = partitionFamilies(o.family);
      const pairs = parsePairList(o.pairs);
      const range = parseRange(o.from, o.to);
      const premake = o.premake === undefined ? null : parseIntOption('--premake', o.premake);
      await withDatabase(o, async (db) => {
        await checkRangeWidth(db.pool, 'partitions ensure', range, o.force);
        const bar = progress(o, 'partitions', families.length * pairs.length, 'units');
        const t0 = performance.now();
        const res = await ensurePartitions(db.pool, families, pairs, range, premake, (done) => bar.update(done));
        res.push(...(await ensureCrossPartitions(db.pool, cross, range, premake)));
        bar.stop();
        const created = res.reduce((n, r) => n + r.created, 0);
        const all = await listPartitions(db.pool, null, null);
        const perFamily = [
          ...families.map((f) => ({ family: f, partitions: all.filter((p) => p.family === f && pairs.includes(p.pair)).length })),
          ...cross.map((f) => ({ family: f, partitions: all.filter((p) => p.family === f).length })),
        ];
        printResult(
          o,
          { created, seconds: (performance.now() - t0) / 1000, perFamily },
          () =>
            `created ${created} partitions in ${((performance.now() - t0) / 1000).toFixed(1)} s\n${table(perFamily, ['family', 'partitions'])}`,
        );
      });
    });

  parts
    .command('list')
    .description('list monthly partitions (attached and detached) with estimated rows')
    .option('--family <f>', 'one family (default: all)')
    .option('--pair <p>', 'one pair (default: all)')
    .option('--json', 'print the result as JSON')
    .action(async (o: PartOpts) => {
      const fam = o.family ? familyDef(o.family).family : null;
      const pair = o.pair ? pairInfo(o.pair).pair : null;
      await withDatabase(o, async (db) => {
        const rows = await listPartitions(db.pool, fam, pair);
        printResult(o, rows, () =>
          table(
            rows.map((r) => ({
              ...r,
              range_from: r.range_from.toISOString().slice(0, 10),
              range_to: r.range_to.toISOString().slice(0, 10),
            })),
            ['family', 'pair', 'partition_name', 'range_from', 'range_to', 'attached', 'est_rows'],
          ),
        );
      });
    });

  parts
    .command('detach')
    .description('detach one month from its pair table (the table and rows stay)')
    .requiredOption('--family <f>', 'family')
    .requiredOption('--pair <p>', 'pair')
    .requiredOption('--month <yyyy-mm>', 'the month to detach')
    .option('--json', 'print the result as JSON')
    .action(async (o: PartOpts) => {
      const fam = familyDef(o.family!).family;
      const pair = pairInfo(o.pair!).pair;
      const month = parseInstant('--month', o.month!);
      await withDatabase(o, async (db) => {
        const name = await detachPartition(db.pool, fam, pair, month);
        printResult(o, { detached: name }, () => `detached bqx.${name}`);
      });
    });

  parts
    .command('drop')
    .description('retention: drop partitions whose month ends at or before --before (or older than --retention-months)')
    .option('--family <f>', 'family, comma list or all (the cross-sectional tables included)', 'all')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .option('--before <date>', 'cut-off instant (UTC)')
    .option('--retention-months <n>', 'keep this many months before the current one')
    .option('--dry-run', 'list the partitions that would be dropped (with estimated rows), drop nothing')
    .option('--force', 'drop even when the cut is in the future or past the watermarks')
    .option('--json', 'print the result as JSON')
    .action(async (o: PartOpts) => {
      if ((o.before === undefined) === (o.retentionMonths === undefined)) {
        throw new BqxError('BQX_USAGE', 'partitions drop needs exactly one of --before and --retention-months', {
          hint: 'e.g. --before 2024-01 or --retention-months 24',
        });
      }
      let before: number;
      if (o.before !== undefined) before = parseInstant('--before', o.before);
      else {
        const n = parseIntOption('--retention-months', o.retentionMonths!, 1);
        const now = new Date();
        before = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1);
      }
      const { families, cross } = partitionFamilies(o.family);
      const pairs = parsePairList(o.pairs);
      await withDatabase(o, async (db) => {
        if (o.dryRun) {
          const all = await listPartitions(db.pool, null, null);
          // a cross month goes when it ends before the cut and the first minute the pairs' kept rows read;
          // listed as of the pairs' current months (after their drop the floor may move later)
          const cut = new Map<string, number>();
          for (const f of cross) cut.set(f, Math.min(before, (await crossRetentionFloor(db.pool, f)) ?? before));
          const go = all
            .filter((p) =>
              cut.has(p.family)
                ? p.range_to.getTime() <= cut.get(p.family)!
                : families.includes(p.family) && pairs.includes(p.pair) && p.range_to.getTime() <= before,
            )
            .map((p) => ({ family: p.family, pair: p.pair, partition_name: p.partition_name, attached: p.attached, est_rows: p.est_rows }));
          const problems = (await db.pool.query<{ pair: string | null; reason: string }>(sql('retention_check'), [pairs, new Date(before)]))
            .rows;
          printResult(o, { before: new Date(before).toISOString(), dryRun: true, wouldDrop: go, refusedWithoutForce: problems }, () =>
            [
              go.length
                ? `would drop ${go.length} partitions:\n${table(go, ['family', 'pair', 'partition_name', 'attached', 'est_rows'])}`
                : `nothing ends before ${new Date(before).toISOString()}`,
              ...problems.map((p) => `refused without --force: ${p.reason}`),
            ].join('\n'),
          );
          return;
        }
        if (!o.force) {
          const problems = (await db.pool.query<{ pair: string | null; reason: string }>(sql('retention_check'), [pairs, new Date(before)]))
            .rows;
          if (problems.length) {
            throw new BqxError(
              'BQX_BAD_RANGE',
              `partitions drop --before ${new Date(before).toISOString()}: refused, nothing was dropped\n${problems
                .slice(0, 20)
                .map((p) => `  ${p.reason}`)
                .join('\n')}${problems.length > 20 ? `\n  ... and ${problems.length - 20} more` : ''}`,
              {
                hint: 'check the cut; --dry-run lists what would go; pass --force to drop anyway',
                details: { problems },
              },
            );
          }
        }
        const rows = await dropPartitions(db.pool, families, pairs, before);
        // after the pairs' months: the cross tables keep what the pairs' kept rows still read
        rows.push(...(await dropCrossPartitions(db.pool, cross, before)));
        printResult(o, { before: new Date(before).toISOString(), rows }, () =>
          rows.length
            ? table(rows, ['family', 'pair', 'partition_name', 'action'])
            : `nothing ends before ${new Date(before).toISOString()}`,
        );
      });
    });
}
