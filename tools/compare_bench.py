#!/usr/bin/env python3
"""ConvLab vs PyTorch, ECNN forward, same machine, same run, interleaved.

The machine is shared and noisy, so the two are timed in alternating rounds
(ConvLab, PyTorch with ConvLab's thread count, PyTorch with its default
threads), each round reporting a median of --runs forwards; the table gives
the median over rounds and the ratio ConvLab / PyTorch (lower is better), and
each at its best: the fastest single forward over all rounds (PyTorch's over
both thread settings), ConvLab's best against PyTorch's.

    /usr/bin/python3 tools/compare_bench.py --convlab build/src/cli/convlab --sizes 128,256,512
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LINE = re.compile(r"size=(\d+) median_ms=([0-9.]+)")
FASTEST = re.compile(r"size=(\d+) .*min_ms=([0-9.]+)")


def medians(command, fastest=None):
    """Each size's median; each size's fastest run goes into `fastest` (min kept)."""
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if fastest is not None:
        for m in FASTEST.finditer(out):
            size, ms = int(m.group(1)), float(m.group(2))
            fastest[size] = min(ms, fastest.get(size, ms))
    return {int(m.group(1)): float(m.group(2)) for m in LINE.finditer(out)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--convlab", required=True, help="path of the convlab binary")
    parser.add_argument("--sizes", default="128,256,512")
    parser.add_argument("--runs", type=int, default=10, help="forwards per round (median taken)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median taken)")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--arch", default="advanced")
    args = parser.parse_args(argv)

    runs = ["--runs", str(args.runs)]
    ours = [args.convlab, "bench", "--backend", "cpu", "--arch", args.arch, "--size", args.sizes,
            "--threads", str(args.threads)] + runs
    torch_cmd = [sys.executable, os.path.join(HERE, "bench_pytorch.py"), "--arch", args.arch, "--sizes", args.sizes]
    theirs_same = torch_cmd + ["--threads", str(args.threads)] + runs
    theirs_default = torch_cmd + runs

    rounds = {"convlab": [], "torch_same": [], "torch_default": []}
    torch_best, convlab_best = {}, {}
    for r in range(args.rounds):
        rounds["convlab"].append(medians(ours, convlab_best))
        rounds["torch_same"].append(medians(theirs_same, torch_best))
        rounds["torch_default"].append(medians(theirs_default, torch_best))
        print(f"round {r + 1}: " + "  ".join(f"{k}={v}" for k, v in ((k, rounds[k][-1]) for k in rounds)),
              flush=True)

    sizes = [int(s) for s in args.sizes.split(",")]
    print()
    print(f"ECNN {args.arch} forward, batch 1, median of {args.rounds} rounds x median of {args.runs} runs (ms)")
    print(f"{'size':>6} {'convlab':>9} {'torch ' + str(args.threads) + 'thr':>11} {'ratio':>6} "
          f"{'torch default':>14} {'ratio':>6} {'convlab best':>13} {'torch best':>11} {'ratio':>6}")
    for size in sizes:
        ours_ms = statistics.median(r[size] for r in rounds["convlab"])
        same_ms = statistics.median(r[size] for r in rounds["torch_same"])
        default_ms = statistics.median(r[size] for r in rounds["torch_default"])
        best_ms, our_best_ms = torch_best[size], convlab_best[size]
        print(f"{size:>6} {ours_ms:>9.2f} {same_ms:>11.2f} {ours_ms / same_ms:>6.2f} {default_ms:>14.2f} "
              f"{ours_ms / default_ms:>6.2f} {our_best_ms:>13.2f} {best_ms:>11.2f} {our_best_ms / best_ms:>6.2f}")
    print("best: the fastest single forward of all rounds (PyTorch: both thread settings); the last ratio")
    print("compares best with best, the others median with median")
    return 0


if __name__ == "__main__":
    sys.exit(main())
