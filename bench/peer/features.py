"""The peer a user would pick instead of in-engine SQL: numpy on bars copied out of PostgreSQL.

Reads a PostgreSQL binary COPY of (ts_utc timestamptz, rate_index float8) ordered by ts_utc, computes
one family's columns (bqx, statistics_rate or reg_rate) vectorised with closed-form sliding sums, and
writes a PostgreSQL binary COPY of (pair text, ts_utc, <columns in the order given>), NULL where the
definition says NULL (never NaN).

The sliding sums are numpy cumulative sums over blocks of exactly W rows, each about its own anchor
(the block's first value): the window ending at t is the prefix of t's block plus the suffix of the
previous block, both about t's block anchor, so no sum holds a row outside the window (plain cumsums over
the whole series lose accuracy as the series grows). The regression's sums of u^k * y use the row index
within the block, never global row numbers.

usage: features.py compute FAMILY PAIR IN.bin OUT.bin COLUMNS.json
       features.py check FAMILY ENGINE.bin PEER.bin COLUMNS.json
  compute prints {"readSeconds", "computeSeconds", "encodeSeconds" (encoding and writing), "rows"} as JSON;
  check reads two exports of the family's rows as stored (binary COPY of ts_utc and the columns, NULL
  as NaN), the in-engine refresh's and the peer's after its COPY back, and prints per column the worst
  |peer - engine| / max(|engine|, S) (S = the column's median |value|, the spec's "within r relative")
  and the count of rows where one side is NULL and the other not.
"""

import json
import sys
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"


def read_inputs(path):
    """(ts as big-endian int64 microseconds since 2000, rate_index float64) from a binary COPY."""
    buf = open(path, "rb").read()
    if buf[:11] != HEADER[:11]:
        raise SystemExit("not a binary COPY file")
    ext = int.from_bytes(buf[15:19], "big")
    body = buf[19 + ext : -2]
    row = np.dtype([("nf", ">i2"), ("l1", ">i4"), ("ts", ">i8"), ("l2", ">i4"), ("v", ">f8")])
    rows = np.frombuffer(body, dtype=row)
    if not (np.all(rows["nf"] == 2) and np.all(rows["l1"] == 8) and np.all(rows["l2"] == 8)):
        raise SystemExit("expected two non-NULL 8-byte fields per row")
    return rows["ts"].copy(), rows["v"].astype(np.float64)


def read_engine(path, ncols):
    buf = open(path, "rb").read()
    ext = int.from_bytes(buf[15:19], "big")
    body = buf[19 + ext : -2]
    fields = [("nf", ">i2"), ("l0", ">i4"), ("ts", ">i8")]
    for i in range(ncols):
        fields += [(f"l{i + 1}", ">i4"), (f"c{i}", ">f8")]
    rows = np.frombuffer(body, dtype=np.dtype(fields))
    return rows["ts"].copy(), [rows[f"c{i}"].astype(np.float64) for i in range(ncols)]


class Blocks:
    """Sliding sums over windows of W rows ending at each t, from block cumsums about t's block anchor."""

    def __init__(self, y, W):
        n = len(y)
        self.n, self.W = n, W
        nb = -(-n // W)
        self.nb = nb
        r = np.arange(n)
        self.j = (r % W).astype(np.float64)  # row index within its block
        self.tj = r % W
        first = y[::W]  # anchors: the first value of each block
        anchors = np.concatenate([first, [0.0]])
        blk = r // W
        self.a = anchors[blk]  # anchor of t's block
        self.d = y - self.a  # deviations about the own block's anchor (prefix sums)
        self.e = y - anchors[blk + 1]  # about the next block's anchor (suffix sums)
        self.has_suffix = self.tj < W - 1

    def _pad(self, x):
        out = np.zeros(self.nb * self.W)
        out[: self.n] = x
        return out.reshape(self.nb, self.W)

    def fwd(self, x):
        return np.cumsum(self._pad(x), axis=1).reshape(-1)[: self.n]

    def bwd(self, x):
        return np.cumsum(self._pad(x)[:, ::-1], axis=1)[:, ::-1].reshape(-1)[: self.n]

    def window(self, fwd_sum, bwd_sum):
        """Prefix of t's block plus the previous block's suffix from t - W + 1 (index t-W+1 of bwd)."""
        W = self.W
        out = fwd_sum.copy()
        lagged = np.zeros(self.n)
        lagged[W - 1 :] = bwd_sum[: self.n - W + 1]
        out += np.where(self.has_suffix, lagged, 0.0)
        return out

    def power_sums(self, powers):
        return [self.window(self.fwd(self.d**k), self.bwd(self.e**k)) for k in range(1, powers + 1)]


def extremes(y, W):
    """max and min of the W rows ending at t (NaN before the first full window)."""
    n = len(y)
    mx = np.full(n, np.nan)
    mn = np.full(n, np.nan)
    v = sliding_window_view(y, W)
    mx[W - 1 :] = v.max(axis=1)
    mn[W - 1 :] = v.min(axis=1)
    return mx, mn


def shift(x, k):
    out = np.full(len(x), np.nan)
    out[k:] = x[: len(x) - k]
    return out


def where(ok, x):
    return np.where(ok, x, np.nan)


def bqx(y):
    n = len(y)
    cols = {}
    for W in (15, 30, 45, 60, 75):
        b = Blocks(y, W)
        s1, s2 = b.power_sums(2)
        var = np.maximum(s2 - s1 * s1 / W, 0) / (W - 1)
        mx, mn = extremes(y, W)
        # P_W of bar t is the window ending at t-1
        pa, pdm, pvar, pmx, pmn = (shift(x, 1) for x in (b.a, s1 / W, var, mx, mn))
        ok = (np.arange(n) >= W) & (y != 0)
        ys = np.where(ok, y, 1.0)
        sd = np.where(pmx == pmn, 0.0, np.sqrt(np.where(ok, pvar, 0.0)))
        cols[f"w{W}_bqx_return"] = where(ok, W * ((pa - y) + pdm) / ys)
        cols[f"w{W}_bqx_max_index"] = where(ok, pmx)
        cols[f"w{W}_bqx_min_index"] = where(ok, pmn)
        cols[f"w{W}_bqx_avg_index"] = where(ok, pa + pdm)
        cols[f"w{W}_bqx_stdev_index"] = where(ok, sd)
        cols[f"w{W}_bqx_endpoint"] = where(ok, (shift(y, W) - y) / ys)
        if W == 75:
            cols["agg_bqx_return"] = cols["w75_bqx_return"]
            cols["agg_bqx_max_index"] = cols["w75_bqx_max_index"]
            cols["agg_bqx_min_index"] = cols["w75_bqx_min_index"]
            cols["agg_bqx_avg_index"] = cols["w75_bqx_avg_index"]
            cols["agg_bqx_stdev_index"] = cols["w75_bqx_stdev_index"]
            cols["agg_bqx_range"] = where(ok, (pmx - pmn) / ys)
            cols["agg_bqx_volatility"] = where(ok, sd / ys)
    return cols


def statistics(y):
    n = len(y)
    cols = {}
    for W in (20, 50, 120):
        b = Blocks(y, W)
        t1, t2, t3, t4 = b.power_sums(4)
        mu, e2, e3, e4 = t1 / W, t2 / W, t3 / W, t4 / W
        m2 = e2 - mu * mu
        m3 = e3 - 3 * mu * e2 + 2 * mu**3
        m4 = e4 - 4 * mu * e3 + 6 * mu * mu * e2 - 3 * mu**4
        mx, mn = extremes(y, W)
        ok = np.arange(n) >= W - 1
        flat = mx == mn
        moments = ok & ~flat & (m2 > 0)
        m2s = np.where(moments, m2, 1.0)
        cols[f"mean_{W}"] = where(ok, b.a + mu)
        cols[f"std_{W}"] = where(ok, np.where(flat, 0.0, np.sqrt(np.maximum(np.where(ok, m2, 0.0), 0))))
        cols[f"skew_{W}"] = where(moments, m3 / (m2s * np.sqrt(m2s)))
        cols[f"kurt_{W}"] = where(moments, m4 / (m2s * m2s) - 3)
        cols[f"min_{W}"] = where(ok, mn)
        cols[f"max_{W}"] = where(ok, mx)
        cols[f"range_{W}"] = where(ok, mx - mn)
        cols[f"zscore_{W}"] = where(moments, ((y - b.a) - mu) / np.sqrt(m2s))
    return cols


def reg(y):
    n = len(y)
    cols = {}
    for name, W in (("w15", 15), ("w30", 30), ("w45", 45), ("w60", 60), ("w75", 75), ("agg", 90)):
        b = Blocks(y, W)
        h = (W - 1) / 2
        j, d, e = b.j, b.d, b.e
        # k = position in the window ending at t (0..W-1): prefix rows k = j + (W-1-tj), suffix rows k = j - 1 - tj
        tj = b.tj.astype(np.float64)
        cf = (W - 1 - tj) - h  # u = j + cf on the prefix rows
        cb = np.zeros(n)
        cb[W - 1 :] = (-1 - tj[W - 1 :]) - h  # u = j + cb on the suffix rows, cb taken at t
        f0, f1, f2 = b.fwd(d), b.fwd(j * d), b.fwd(j * j * d)
        g0, g1, g2 = (np.concatenate([np.zeros(W - 1), x[: n - W + 1]]) for x in (b.bwd(e), b.bwd(j * e), b.bwd(j * j * e)))
        g0, g1, g2 = (np.where(b.has_suffix, g, 0.0) for g in (g0, g1, g2))
        t1 = f0 + g0
        su = (f1 + cf * f0) + (g1 + cb * g0)
        su2 = (f2 + 2 * cf * f1 + cf * cf * f0) + (g2 + 2 * cb * g1 + cb * cb * g0)
        t2 = b.window(b.fwd(d * d), b.bwd(e * e))
        mx, mn = extremes(y, W)
        ok = np.arange(n) >= W - 1
        flat = mx == mn
        U2 = W * (W * W - 1) / 12
        U4 = W * (W * W - 1) * (3 * W * W - 7) / 240
        den = W * U4 - U2 * U2
        c2 = np.where(flat, 0.0, (W * su2 - U2 * t1) / den)
        c1 = np.where(flat, 0.0, su / U2)
        c0 = np.where(flat, y - b.a, (t1 - U2 * c2) / W)
        ssres = np.where(flat, 0.0, np.maximum(t2 - (c0 * t1 + c1 * su + c2 * su2), 0))
        sstot = t2 - t1 * t1 / W
        a2 = c2
        a1 = c1 - 2 * h * c2
        bb = c2 * h * h - c1 * h + c0 + b.a
        pred = c2 * h * h + c1 * h + c0 + b.a
        sd = np.sqrt(ssres / W)
        has_r2 = ok & ~flat & (sstot != 0)
        r2 = 1 - ssres / np.where(has_r2, sstot, 1.0)
        maxabs = np.maximum(np.abs(mx), np.abs(mn))
        curved = ok & (np.abs(a2) * (W - 1) ** 2 > 1e-12 * maxabs)
        a2s = np.where(curved, a2, 1.0)
        vx = -a1 / (2 * a2s)
        tag = f"idx_{name}"
        cols[f"a2_{tag}"] = where(ok, a2)
        cols[f"a1_{tag}"] = where(ok, a1)
        cols[f"b_{tag}"] = where(ok, bb)
        cols[f"r2_{tag}"] = where(has_r2, r2)
        cols[f"rmse_{tag}"] = where(ok, sd)
        cols[f"residual_mean_{tag}"] = where(ok, np.zeros(n))
        cols[f"residual_std_{tag}"] = where(ok, sd)
        cols[f"prediction_{tag}"] = where(ok, pred)
        cols[f"pi_lower_{tag}"] = where(ok, pred - 1.96 * sd)
        cols[f"pi_upper_{tag}"] = where(ok, pred + 1.96 * sd)
        cols[f"vertex_x_{tag}"] = where(curved, vx)
        cols[f"vertex_y_{tag}"] = where(curved, a2 * vx * vx + a1 * vx + bb)
        cols[f"curvature_{tag}"] = where(ok, np.abs(a2))
        cols[f"fit_quality_{tag}"] = where(has_r2, np.clip(r2, 0, 1))
        nz = ok & (pred != 0)
        cols[f"extrapolation_error_{tag}"] = where(nz, sd / np.abs(np.where(nz, pred, 1.0)))
    return cols


FAMILIES = {"bqx": bqx, "statistics_rate": statistics, "reg_rate": reg}


def write_copy(f, pair, ts, values, chunk=32768):
    """Writes a binary COPY of (pair, ts_utc, values...) to f, NaN as NULL, with array operations.

    A NULL cell is 4 bytes (length -1) and a value 12, so rows are fixed-width only within one NULL
    pattern: COPY takes rows in any order, so each chunk's rows go out grouped by pattern, each group
    one packed record array. Almost every row has no NULL: those fill one record buffer (a (m,)
    sub-array of cells per row) allocated once and reused, since touching fresh pages costs more than
    filling them; the warm-up rows and flat windows make a few small groups.
    """
    m = len(values)
    p = pair.encode()
    head = [("nf", ">i2"), ("lp", ">i4"), ("pair", f"S{len(p)}"), ("lt", ">i4"), ("ts", ">i8")]
    full_rec = np.empty(min(chunk, len(ts)), dtype=np.dtype(head + [("cells", [("l", ">i4"), ("c", ">f8")], (m,))]))
    full_rec["nf"], full_rec["lp"], full_rec["pair"], full_rec["lt"] = 2 + m, len(p), p, 8
    full_rec["cells"]["l"] = 8
    f.write(HEADER)
    for lo in range(0, len(ts), chunk):
        t = ts[lo : lo + chunk]
        vs = [v[lo : lo + chunk] for v in values]
        any_null = np.zeros(len(t), dtype=bool)
        for v in vs:
            any_null |= np.isnan(v)
        full = np.flatnonzero(~any_null)
        rec = full_rec[: len(full)]
        rec["ts"] = t[full]
        cols = np.stack([v[full] for v in vs])  # (m, rows): column copies are contiguous
        cells = rec["cells"]["c"]
        # the transpose into rows in blocks that stay in cache (a whole-array transpose is several times slower)
        for b in range(0, len(full), 4096):
            cells[b : b + 4096] = cols[:, b : b + 4096].T
        f.write(memoryview(rec).cast("B"))
        some = np.flatnonzero(any_null)
        if not len(some):
            continue
        null = np.stack([np.isnan(v[some]) for v in vs], axis=1)
        patterns, group = np.unique(null, axis=0, return_inverse=True)
        group = group.reshape(-1)
        for g, isnull in enumerate(patterns):
            rows = some[group == g]
            fields = list(head)
            for i in range(m):
                fields += [(f"l{i}", ">i4")] if isnull[i] else [(f"l{i}", ">i4"), (f"c{i}", ">f8")]
            part = np.empty(len(rows), dtype=np.dtype(fields))
            part["nf"], part["lp"], part["pair"], part["lt"], part["ts"] = 2 + m, len(p), p, 8, t[rows]
            for i in range(m):
                part[f"l{i}"] = -1 if isnull[i] else 8
                if not isnull[i]:
                    part[f"c{i}"] = vs[i][rows]
            f.write(memoryview(part).cast("B"))
    f.write(b"\xff\xff")


def main():
    mode, family = sys.argv[1], sys.argv[2]
    if mode == "compute":
        pair, inp, out, colfile = sys.argv[3:7]
        names = json.load(open(colfile))
        t0 = time.perf_counter()
        ts, y = read_inputs(inp)
        t1 = time.perf_counter()
        with np.errstate(divide="ignore", invalid="ignore"):
            cols = FAMILIES[family](y)
        t2 = time.perf_counter()
        with open(out, "wb") as f:
            write_copy(f, pair, ts, [cols[c] for c in names])
        t3 = time.perf_counter()
        print(json.dumps({"rows": len(y), "readSeconds": t1 - t0, "computeSeconds": t2 - t1, "encodeSeconds": t3 - t2}))
    elif mode == "check":
        a_file, b_file, colfile = sys.argv[3:6]
        names = json.load(open(colfile))
        ats, avals = read_engine(a_file, len(names))
        bts, bvals = read_engine(b_file, len(names))
        if not np.array_equal(ats, bts):
            raise SystemExit("the two exports hold different rows")
        report = {}
        for name, ev, pv in zip(names, avals, bvals):
            en, pn = np.isnan(ev), np.isnan(pv)
            both = ~en & ~pn
            scale = float(np.median(np.abs(ev[both]))) if both.any() else 0.0
            denom = np.maximum(np.abs(ev[both]), scale)
            err = np.abs(pv[both] - ev[both]) / np.where(denom > 0, denom, 1.0)
            report[name] = {"maxRelError": float(err.max()) if err.size else 0.0, "nullMismatches": int((en != pn).sum())}
        print(json.dumps(report))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
