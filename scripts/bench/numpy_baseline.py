"""Vectorised numpy/OpenCV baseline of the Sightline scoring pipeline (scoring.md §3-§4), for scripts/bench-scoring.

Same work as the engine per case: ReLU + min-max of the raw map, cv2.resize (INTER_LINEAR) to the image size,
ReLU + min-max again (pytorch-grad-cam's scale_cam_image), then every §4 metric for one region mask: energy_ratio,
coverage, iou, hot_area, pointing_game (tolerance disc), rank_accuracy (stable argsort), auc (Mann-Whitney with
average ranks), spread (sorted cumulative sum), centroid. Single thread (the caller sets OMP/OPENBLAS/MKL threads=1,
and cv2.setNumThreads(1) below).

Usage: python numpy_baseline.py CASES.json [--min-seconds S] [--max-runs N]
CASES.json: [{"id", "width", "height", "heatmap": "R.npy", "mask": "M.npy"}, ...]
Prints one JSON object: {"cases": [{"id", "pipeline_ms", "pipeline_cpu_ms", "resize_ms", "resize_cpu_ms", "runs",
"metrics": {...}}], "versions": {...}} (medians; *_cpu_ms is thread CPU time, less sensitive to a loaded machine).
"""
import json
import os
import sys
import time

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import cv2  # noqa: E402
import numpy as np  # noqa: E402

cv2.setNumThreads(1)


def scale(x):
    """pytorch-grad-cam scale_cam_image step: (x - min) / (1e-7 + max(x - min)), float32."""
    x = x - np.min(x)
    return x / (1e-7 + np.max(x))


def normalize(raw, width, height):
    n = scale(np.maximum(raw, 0))
    u = cv2.resize(n, (width, height), interpolation=cv2.INTER_LINEAR)
    return scale(np.maximum(u, 0)).astype(np.float32, copy=False)


def metrics(g, mask, tau=0.5, tol=15.0):
    height, width = g.shape
    gf = g.ravel()
    mf = mask.ravel()
    total = gf.sum(dtype=np.float64)
    n_mask = int(np.count_nonzero(mf))
    hot = gf >= tau
    n_hot = int(np.count_nonzero(hot))
    inter = int(np.count_nonzero(hot & mf))
    out = {
        "coverage": inter / n_mask,
        "iou": inter / (n_hot + n_mask - inter),
        "hot_area": n_hot / gf.size,
    }
    # rank_accuracy: the |M| largest, ties by lower index (stable sort of -g)
    order = np.argsort(-gf, kind="stable")
    out["rank_accuracy"] = float(np.count_nonzero(mf[order[:n_mask]])) / n_mask
    # auc: Mann-Whitney U with average ranks for ties
    n_neg = gf.size - n_mask
    if n_neg > 0:
        _, inverse, counts = np.unique(gf, return_inverse=True, return_counts=True)
        ends = np.cumsum(counts, dtype=np.float64)
        average = ends - (counts - 1) / 2.0
        rank_sum = average[inverse[mf]].sum()
        out["auc"] = (rank_sum - n_mask * (n_mask + 1) / 2.0) / (n_mask * n_neg)
    else:
        out["auc"] = None
    if total > 0:
        out["energy_ratio"] = float(gf[mf].sum(dtype=np.float64) / total)
        # pointing game: first row-major argmax, disc of radius tol (scan only its bounding box)
        y0, x0 = divmod(int(np.argmax(gf)), width)
        if tol <= 0:
            out["pointing_game"] = bool(mask[y0, x0])
        else:
            r = int(np.ceil(tol))
            ya, yb = max(0, y0 - r), min(height, y0 + r + 1)
            xa, xb = max(0, x0 - r), min(width, x0 + r + 1)
            yy, xx = np.ogrid[ya:yb, xa:xb]
            disc = (yy - y0) ** 2 + (xx - x0) ** 2 < tol * tol
            out["pointing_game"] = bool(np.any(disc & mask[ya:yb, xa:xb]))
        # spread: smallest fraction of pixels holding half of sum g (values descending)
        cumulative = np.cumsum(np.sort(gf)[::-1], dtype=np.float64)
        out["spread"] = (int(np.searchsorted(cumulative, 0.5 * total)) + 1) / gf.size
        # centroid
        rows = g.sum(axis=1, dtype=np.float64)
        cols = g.sum(axis=0, dtype=np.float64)
        out["centroid"] = [float((cols * (np.arange(width) + 0.5)).sum() / total),
                           float((rows * (np.arange(height) + 0.5)).sum() / total)]
    else:
        out.update({"energy_ratio": None, "pointing_game": None, "spread": None, "centroid": None})
    return out


def timed(fn, min_seconds, max_runs):
    """Median wall time and median thread CPU time (ms) of repeated calls, and the number of runs."""
    fn()  # warm-up
    fn()
    wall, cpu = [], []
    start = time.perf_counter()
    while len(wall) < max_runs and (len(wall) < 5 or time.perf_counter() - start < min_seconds):
        t0, c0 = time.perf_counter(), time.thread_time()
        fn()
        cpu.append(time.thread_time() - c0)
        wall.append(time.perf_counter() - t0)
    wall.sort()
    cpu.sort()
    return wall[len(wall) // 2] * 1000.0, cpu[len(cpu) // 2] * 1000.0, len(wall)


def main():
    args = sys.argv[1:]
    min_seconds, max_runs = 1.0, 200
    if "--min-seconds" in args:
        min_seconds = float(args[args.index("--min-seconds") + 1])
    if "--max-runs" in args:
        max_runs = int(args[args.index("--max-runs") + 1])
    with open(args[0]) as f:
        cases = json.load(f)
    results = []
    for case in cases:
        raw = np.load(case["heatmap"]).astype(np.float32)
        mask = np.load(case["mask"]) > 0.5
        width, height = case["width"], case["height"]
        n = scale(np.maximum(raw, 0))
        pipeline_ms, pipeline_cpu_ms, runs = timed(lambda: metrics(normalize(raw, width, height), mask),
                                                   min_seconds, max_runs)
        resize_ms, resize_cpu_ms, _ = timed(lambda: cv2.resize(n, (width, height), interpolation=cv2.INTER_LINEAR),
                                            min_seconds / 2, max_runs * 5)
        results.append({"id": case["id"], "pipeline_ms": pipeline_ms, "pipeline_cpu_ms": pipeline_cpu_ms,
                        "resize_ms": resize_ms, "resize_cpu_ms": resize_cpu_ms, "runs": runs,
                        "metrics": metrics(normalize(raw, width, height), mask)})
    print(json.dumps({"cases": results, "versions": {"numpy": np.__version__, "opencv": cv2.__version__,
                                                     "python": sys.version.split()[0]}}))


if __name__ == "__main__":
    main()
