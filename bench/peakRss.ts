/**
 * Peak memory of a child process tree and of the PostgreSQL backends serving one database, by polling
 * /proc (Linux only). VmHWM is the kernel's own high-water mark of a process's resident set, so a poll
 * that misses a short peak still reads it; for the backends VmHWM also counts the shared buffers a
 * backend touched (at most shared_buffers), so their private peak is sampled from RssAnon instead.
 */
import fs from 'node:fs';
import type pg from 'pg';

function statusKiB(pid: number, key: string): number | null {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let kids = '';
      try {
        kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
      } catch {}
      for (const k of kids.split(' ').filter(Boolean).map(Number)) {
        out.push(k);
        walk(k);
      }
    }
  };
  walk(pid);
  return out;
}

export interface PeakMemory {
  /** Largest VmHWM of the process or any descendant, MiB. */
  processMiB: number;
  /** Largest RssAnon seen in one backend of the database, MiB (sampled). */
  backendAnonMiB: number;
  /** Largest sum of RssAnon over the database's backends at one poll, MiB (sampled). */
  backendsAnonSumMiB: number;
}

/** Polls every `everyMs` until stop(); the process's own high-water mark is read once more at the end. */
export function watchPeak(pid: number, admin: pg.Pool, datname: string, everyMs = 500) {
  let proc = 0;
  let one = 0;
  let sum = 0;
  let backends: number[] = [];
  let busy = false;
  const readProc = () => {
    for (const p of [pid, ...descendants(pid)]) proc = Math.max(proc, statusKiB(p, 'VmHWM') ?? 0);
  };
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      readProc();
      backends = (await admin.query('select pid from pg_stat_activity where datname = $1', [datname])).rows.map((r) => r.pid);
      let s = 0;
      for (const b of backends) {
        const a = statusKiB(b, 'RssAnon') ?? 0;
        one = Math.max(one, a);
        s += a;
      }
      sum = Math.max(sum, s);
    } catch {
      // the database may be between connections; the next poll reads it
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), everyMs);
  void poll();
  return {
    /** Call while the process still exists (e.g. on its 'exit' is too late for /proc): see sample(). */
    sample: readProc,
    stop(): PeakMemory {
      clearInterval(timer);
      return { processMiB: proc / 1024, backendAnonMiB: one / 1024, backendsAnonSumMiB: sum / 1024 };
    },
  };
}
