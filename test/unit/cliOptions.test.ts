import { Command, type CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../src/cli/examples.ts';
import { buildProgram, version } from '../../src/cli/index.ts';
import { alignPairOptions, parseInstant, resolvePairOptions } from '../../src/cli/options.ts';
import { estimate, formatDuration, formatRate } from '../../src/cli/output.ts';
import { BqxError } from '../../src/db/errors.ts';

function leaves(cmd: Command, prefix = ''): Array<{ path: string; cmd: Command }> {
  return cmd.commands.flatMap((c) => {
    const p = prefix ? `${prefix} ${c.name()}` : c.name();
    return c.commands.length ? leaves(c, p) : [{ path: p, cmd: c }];
  });
}

const refused = (value: string) => {
  try {
    parseInstant('--from', value);
  } catch (e) {
    expect(e).toBeInstanceOf(BqxError);
    expect((e as BqxError).exitCode).toBe(2);
    return (e as BqxError).message;
  }
  throw new Error(`${value} was accepted`);
};

describe('dates', () => {
  it('accepts the calendar and nothing beyond it', () => {
    expect(parseInstant('--from', '2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseInstant('--from', '2024-07')).toBe(Date.UTC(2024, 6, 1));
    expect(parseInstant('--from', '2024-12-31T23:59')).toBe(Date.UTC(2024, 11, 31, 23, 59));
    expect(parseInstant('--from', '2024-07-01T02:00:00+02:00')).toBe(Date.UTC(2024, 6, 1));
    expect(parseInstant('--from', '2024-07-01T00:00:30.5Z')).toBe(Date.UTC(2024, 6, 1, 0, 0, 30, 500));
    expect(refused('2024-02-30')).toBe('--from "2024-02-30" is not a date: February 2024 has 29 days');
    expect(refused('2023-02-29')).toMatch(/February 2023 has 28 days/);
    expect(refused('2024-04-31')).toMatch(/April 2024 has 30 days/);
    expect(refused('2024-06-00')).toMatch(/June 2024 has 30 days/);
    expect(refused('2024-13')).toMatch(/no month 13/);
    expect(refused('2024-00-10')).toMatch(/no month 00/);
    expect(refused('2024-07-01T24:00')).toMatch(/not a time of day/);
    expect(refused('2024-07-01T12:60')).toMatch(/not a time of day/);
    expect(refused('2024-07-01T12:00+25:00')).toMatch(/not a UTC offset/);
    expect(refused('yesterday')).toBe('--from "yesterday" is not a date');
    expect(refused('2024-7-1')).toBe('--from "2024-7-1" is not a date');
  });
});

describe('the pair vocabulary', () => {
  const cmd = () => {
    const c = new Command('x').exitOverride().option('--pairs <list>', 'pairs', 'all');
    alignPairOptions(c);
    return c;
  };

  it('gives every command with --pairs a --pair that means the same', () => {
    const c = cmd().parse(['--pair', 'EUR/USD'], { from: 'user' });
    resolvePairOptions(c);
    expect(c.opts().pairs).toBe('eurusd');
    const d = cmd().parse([], { from: 'user' });
    resolvePairOptions(d);
    expect(d.opts().pairs).toBe('all');
  });

  it('refuses both at once, a list after --pair, and an unknown pair', () => {
    const both = cmd().parse(['--pair', 'eurusd', '--pairs', 'gbpusd'], { from: 'user' });
    expect(() => resolvePairOptions(both)).toThrow(/give --pair or --pairs, not both/);
    const list = cmd().parse(['--pair', 'eurusd,gbpusd'], { from: 'user' });
    expect(() => resolvePairOptions(list)).toThrow(/--pair takes one pair/);
    const unknown = cmd().parse(['--pair', 'eurxyz'], { from: 'user' });
    expect(() => resolvePairOptions(unknown)).toThrow(BqxError);
  });

  it('holds for every command of bqx', () => {
    for (const { path, cmd: c } of leaves(buildProgram())) {
      const longs = c.options.map((o) => o.long);
      if (longs.includes('--pairs')) expect(longs, path).toContain('--pair');
    }
  });
});

describe('help', () => {
  it('has an example for every command and marks required options', () => {
    const all = leaves(buildProgram());
    expect(all.map((l) => l.path).sort()).toEqual(Object.keys(EXAMPLES).sort());
    const help = new Map(all.map((l) => [l.path, l.cmd.helpInformation()]));
    expect(help.get('backfill')).toMatch(/--from <date>\s+\(required\) start/);
    expect(help.get('dataset build')).toMatch(/--to <date>\s+\(required\) end/);
    for (const { path, cmd: c } of all) {
      for (const o of c.options)
        if (o.mandatory) expect(help.get(path), `${path} ${o.long}`).toMatch(new RegExp(`${o.long} <[^>]+>\\s+\\(required\\)`));
    }
    for (const [p, ex] of Object.entries(EXAMPLES))
      for (const e of ex) expect(e.startsWith(`bqx ${p}`) || e.includes(`bqx ${p}`), e).toBe(true);
  });

  it('--version prints the package version; a missing required option is a usage error (exit 2)', async () => {
    const out: string[] = [];
    const p = buildProgram().configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => out.push(s) });
    await expect(p.parseAsync(['node', 'bqx', '--version'])).rejects.toMatchObject({ code: 'commander.version', exitCode: 0 });
    expect(out.join('')).toBe(`${version()}\n`);
    // the subcommands inherit exitOverride, so commander reports instead of calling process.exit(1)
    const q = buildProgram().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    for (const c of q.commands) c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
    const err = (await q.parseAsync(['node', 'bqx', 'backfill', '--to', '2024-08']).catch((e: CommanderError) => e)) as CommanderError;
    expect(err.code).toBe('commander.missingMandatoryOptionValue');
  });
});

describe('progress figures', () => {
  it('keeps slow rates readable and the ETA on the whole-run average', () => {
    expect(formatRate(0.05, 'pairs')).toBe('3.0 pairs/min');
    expect(formatRate(0.5, 'pairs')).toBe('30 pairs/min');
    expect(formatRate(2.345, 'units')).toBe('2.3 units/s');
    expect(formatRate(52_000.4, 'rows')).toBe('52000 rows/s');
    expect(formatRate(0, 'rows')).toBe('- rows/s');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3 h 02 min');
    expect(estimate(10, 40, 20)).toEqual({ rate: 0.5, eta: 60 });
    expect(estimate(0, 40, 20).eta).toBeNull();
    expect(estimate(5, 0, 20).eta).toBeNull();
  });
});
