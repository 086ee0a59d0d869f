/**
 * `bqx report --out DIR` (issue 19) in a real headless browser: Debian's chromium driven by
 * playwright-core loads the static page from file://, and the test fails on any console error or page
 * error, checks that every chart has data marks and that the figures are the store's, and saves a
 * screenshot under test-output/ (gitignored). Without /usr/bin/chromium it FAILS, never skips.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../src/db/paths.ts';
import { rangePlan, runPairs } from '../../src/runner/runPairs.ts';
import { synthToDatabase } from '../../src/synth/synthesize.ts';
import { useTestDatabase } from '../support/db.ts';

const CHROMIUM = '/usr/bin/chromium';
const BIN = path.join(ROOT, 'bin', 'bqx.mjs');
const ARTIFACTS = path.join(ROOT, 'test-output');
const PAIRS = ['eurusd', 'gbpjpy'];
const FROM = Date.UTC(2024, 6, 25);
const TO = Date.UTC(2024, 7, 3);

describe('bqx report: the static dashboard in a headless browser', () => {
  const t = useTestDatabase();
  let out: string;

  beforeAll(async () => {
    await synthToDatabase(t.pool, { seed: 7, from: FROM, to: TO, pairs: PAIRS });
    const res = await runPairs(t.pool, PAIRS, rangePlan(['bollinger_rate', 'time_features'], FROM, TO), {
      concurrency: 2,
      trigger: 'backfill',
    });
    expect(res.filter((r) => r.status !== 'ok')).toEqual([]);
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-dashboard-'));
    const r = spawnSync(process.execPath, [BIN, 'report', '--out', out, '--database-url', t.url], { encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
  }, 600_000);

  it('renders every chart with data, without a console error, and saves a screenshot', async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the dashboard test needs Debian's chromium (apt-get install -y chromium)`);
    }
    const data = JSON.parse(fs.readFileSync(path.join(out, 'dashboard.json'), 'utf8'));
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bqx-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1200, height: 900 },
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(path.join(out, 'index.html')).href, { waitUntil: 'load' });
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((s) => ({ label: s.getAttribute('aria-label'), marks: s.querySelectorAll('[data-mark]').length })),
      );
      // freshness, completeness, NULL share, drift, refresh history
      expect(charts).toHaveLength(5);
      for (const c of charts) expect(c.marks, c.label ?? '').toBeGreaterThanOrEqual(1);
      expect(await page.$$eval('section h2', (h) => h.map((x) => x.textContent))).toEqual([
        'Freshness per pair',
        'Completeness per family and month',
        'NULL share per family and month',
        'Drift per family and month',
        'Refresh history',
      ]);
      // the marks are the store's figures: a bar per pair, a cell per family x month, one row per unit
      expect(charts[0].marks).toBe(PAIRS.length);
      expect(charts[1].marks).toBe(2 * 2);
      expect(charts[3].marks).toBe(2 * 1);
      const units = Number((await t.pool.query(`select count(*)::int as n from bqx.refresh_runs`)).rows[0].n);
      expect(await page.$$eval('table tbody tr', (r) => r.length)).toBe(Math.min(50, units));
      const cells = await page.$$eval('svg.chart:nth-of-type(1) rect[data-mark] title', (x) => x.map((e) => e.textContent));
      expect(cells.length).toBeGreaterThan(0);
      // completeness: every bar computed, so 1.000 for both families in both months
      for (const c of data.completeness) expect(c.completeness).toBeCloseTo(1, 12);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      expect(fs.statSync(path.join(ARTIFACTS, 'dashboard.png')).size).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 600_000);
});
