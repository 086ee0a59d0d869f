import type { Command } from 'commander';
import { BqxError } from '../../db/errors.ts';
import { family as familyDef } from '../../features/catalog/index.ts';
import { parsePairList } from '../../features/pairs.ts';
import { assertMonths, drift, type MonthRange } from '../../monitor/drift.ts';
import { PSI_DRIFT, PSI_WATCH } from '../../monitor/psi.ts';
import { withDatabase } from '../context.ts';
import { parseInstant } from '../options.ts';
import { type GlobalOptions, printResult, table } from '../output.ts';

interface DriftOpts extends GlobalOptions {
  baseline?: string;
  against?: string;
  baselineFrom?: string;
  baselineTo?: string;
  againstFrom?: string;
  againstTo?: string;
  pair?: string;
  pairs?: string;
  family?: string;
  top: string;
}

/** `--NAME YYYY-MM` (one month) or `--NAME-from` / `--NAME-to` (whole months, half-open). */
function monthRange(name: string, month: string | undefined, from: string | undefined, to: string | undefined): MonthRange {
  if (month !== undefined) {
    if (from !== undefined || to !== undefined) {
      throw new BqxError('BQX_USAGE', `--${name} and --${name}-from/--${name}-to both given`, {
        hint: `give one month (--${name} 2024-07) or a range (--${name}-from 2024-01 --${name}-to 2024-07)`,
      });
    }
    if (!/^\d{4}-\d{2}$/.test(month.trim())) {
      throw new BqxError('BQX_USAGE', `--${name} ${JSON.stringify(month)} is not a month`, {
        hint: `give --${name} as YYYY-MM, or a range with --${name}-from/--${name}-to`,
      });
    }
    const f = parseInstant(`--${name}`, month);
    const d = new Date(f);
    return { from: f, to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
  }
  if (from === undefined || to === undefined) {
    throw new BqxError('BQX_USAGE', `bqx drift needs --${name} (or --${name}-from and --${name}-to)`, {
      hint: 'e.g. bqx drift --baseline 2024-07 --against 2024-08',
    });
  }
  return assertMonths(`--${name}-from/--${name}-to`, { from: parseInstant(`--${name}-from`, from), to: parseInstant(`--${name}-to`, to) });
}

export function register(program: Command): void {
  program
    .command('drift')
    .description(
      `PSI and KS of every feature and pair between two month ranges, from bqx.feature_stats, ranked; PSI > ${PSI_WATCH} is "watch", > ${PSI_DRIFT} "drift" (exit 0 either way)`,
    )
    .option('--baseline <month>', 'baseline month (YYYY-MM)')
    .option('--against <month>', 'month compared with the baseline (YYYY-MM)')
    .option('--baseline-from <date>', 'baseline range start (a month, UTC)')
    .option('--baseline-to <date>', 'baseline range end, exclusive')
    .option('--against-from <date>', 'compared range start')
    .option('--against-to <date>', 'compared range end, exclusive')
    .option('--pair <p>', 'one pair (same as --pairs P)')
    .option('--pairs <list>', 'pairs, comma list or all', 'all')
    .option('--family <f>', 'one family')
    .option('--top <n>', 'rows printed (text output; --json prints all)', '40')
    .option('--json', 'print an array of {pair, family, column, psi, ks, verdict}')
    .action(async (o: DriftOpts) => {
      const baseline = monthRange('baseline', o.baseline, o.baselineFrom, o.baselineTo);
      const against = monthRange('against', o.against, o.againstFrom, o.againstTo);
      const pairs = parsePairList(o.pair ?? o.pairs);
      const family = o.family === undefined ? undefined : familyDef(o.family).family;
      await withDatabase(o, async (db) => {
        const rows = await drift(db.pool, { baseline, against, pairs, family });
        const top = Number(o.top) > 0 ? Number(o.top) : 40;
        printResult(o, rows, () => {
          const n = (v: string) => rows.filter((r) => r.verdict === v).length;
          return [
            `${rows.length} features compared: ${n('drift')} drift (PSI > ${PSI_DRIFT}), ${n('watch')} watch (PSI > ${PSI_WATCH}), ${n('ok')} ok`,
            table(
              rows.slice(0, top).map((r) => ({ ...r, psi: r.psi.toFixed(4), ks: r.ks.toFixed(4) })),
              ['pair', 'family', 'column', 'psi', 'ks', 'verdict'],
            ),
            ...(rows.length > top ? [`(${rows.length - top} more; --top N or --json)`] : []),
          ].join('\n');
        });
      });
    });
}
