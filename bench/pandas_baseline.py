#!/usr/bin/python3
"""pandas baseline for bench/detectors.ts.

Reads the series bench/detectors.ts wrote (raw little-endian float64), runs the
same rolling z-score and EWMA z-score computations as our detectors, and
prints one JSON object: per computation the seconds of each repetition, plus
z-values at a few probe indices so the TypeScript side can check that both
compute the same numbers.

  /usr/bin/python3 bench/pandas_baseline.py FILE --window 288 --alpha 0.02 --reps 3

Same computation as the detectors: each point is scored against the
statistics of the points *before* it (hence the shift(1)):
  rolling: z = (x - mean_w) / std_w   over the previous `window` points, ddof=0
  ewma:    z = (x - m) / sqrt(v)      m, v = ewm(alpha, adjust=False) mean and
                                      var(bias=True) up to the previous point
"""
import argparse
import json
import sys
import time

import numpy as np
import pandas as pd


def rolling_z(s: pd.Series, window: int) -> pd.Series:
    r = s.rolling(window, min_periods=window)
    mean = r.mean().shift(1)
    std = r.std(ddof=0).shift(1)
    return (s - mean) / std


def ewma_z(s: pd.Series, alpha: float) -> pd.Series:
    e = s.ewm(alpha=alpha, adjust=False)
    mean = e.mean().shift(1)
    var = e.var(bias=True).shift(1)
    return (s - mean) / np.sqrt(var)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--window", type=int, default=288)
    ap.add_argument("--alpha", type=float, default=0.02)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--probes", type=str, default="")
    a = ap.parse_args()

    values = np.fromfile(a.file, dtype="<f8")
    s = pd.Series(values)
    probes = [int(p) for p in a.probes.split(",") if p]
    out = {"pandas": pd.__version__, "numpy": np.__version__, "python": sys.version.split()[0], "points": int(len(values)), "results": {}}
    for name, fn in (("zscore", lambda: rolling_z(s, a.window)), ("ewma", lambda: ewma_z(s, a.alpha))):
        times = []
        z = None
        for _ in range(a.reps):
            t0 = time.perf_counter()
            z = fn()
            times.append(time.perf_counter() - t0)
        zv = z.to_numpy()
        out["results"][name] = {
            "seconds": times,
            "probes": {str(p): (None if not np.isfinite(zv[p]) else float(zv[p])) for p in probes},
        }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
