#!/usr/bin/env python3
"""Times ECNN forward in PyTorch (CPU, or CUDA with --device cuda), for comparison with `convlab bench`.

Batch 1, square sizes, eval mode under torch.no_grad, deterministic random weights (the weights do
not change the time); warm-up runs, then the median of --runs timed runs. One line per size:
    size=256 median_ms=12.345 runs=10 threads=2 backend=pytorch-cpu arch=advanced min_ms=11.987
On CUDA (scripts/bench-gpu) the line adds tf32=off|on and device="<card>": --tf32 on lets cuDNN
convolutions and matmuls use TF32 tensor cores (10-bit mantissa), off keeps plain fp32 as ConvLab.

Run with a python that has torch, e.g. Debian's: /usr/bin/python3 tools/bench_pytorch.py --sizes 128,256
"""
import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecnn_pytorch  # noqa: E402


def positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be >= 1")
    return value


def sizes_list(text):
    try:
        sizes = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: give integers separated by commas, e.g. 128,256,512")
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"--sizes {text!r}: give positive integers, e.g. 128,256,512")
    return sizes


def time_forward(model, size, runs, warmup, device):
    gray = (torch.rand(1, 1, size, size) * 100.0).to(device)
    category = torch.tensor([1], dtype=torch.int64).to(device)
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    times = []
    with torch.no_grad():
        for _ in range(warmup):
            model(gray, category)
        sync()
        for _ in range(runs):
            start = time.perf_counter()
            model(gray, category)
            sync()  # a CUDA forward is only done when the GPU says so
            times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times), min(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description="ECNN forward time in PyTorch (CPU or CUDA, batch 1)")
    parser.add_argument("--arch", default="advanced", choices=sorted(ecnn_pytorch.ARCHS))
    parser.add_argument("--sizes", type=sizes_list, default=[128, 256, 512], help="square sizes, e.g. 128,256,512")
    parser.add_argument("--runs", type=positive_int, default=10, help="timed runs per size (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument("--threads", type=positive_int, default=None, help="torch threads (default: torch's)")
    parser.add_argument("--seed", type=int, default=0, help="random weights seed")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"], help="cpu (default) or cuda (fp32)")
    parser.add_argument("--tf32", default="off", choices=["off", "on"], help="cuda: allow TF32 (default off)")
    args = parser.parse_args(argv)

    if args.threads is not None:
        torch.set_num_threads(args.threads)
    multiple = 16 if args.arch == "advanced" else 4
    bad = [s for s in args.sizes if s % multiple]
    if bad:
        parser.error(f"sizes {bad} are not multiples of {multiple}, which the {args.arch} model needs")

    suffix = ""
    if args.device == "cuda":
        # Plain fp32 as ConvLab computes (off), or PyTorch's TF32 shortcut in cuDNN and matmuls (on).
        tf32 = args.tf32 == "on"
        torch.backends.cuda.matmul.allow_tf32 = tf32
        torch.backends.cudnn.allow_tf32 = tf32
        torch.backends.cudnn.benchmark = True
        suffix = f' tf32={args.tf32} device="{torch.cuda.get_device_name(0)}"'
    elif args.tf32 == "on":
        parser.error("--tf32 on needs --device cuda")
    model = ecnn_pytorch.load_random(ecnn_pytorch.build(args.arch), args.seed).eval().to(args.device)
    for size in args.sizes:
        median, fastest = time_forward(model, size, args.runs, max(args.warmup, 0), args.device)
        print(f"size={size} median_ms={median:.3f} runs={args.runs} threads={torch.get_num_threads()} "
              f"backend=pytorch-{args.device} arch={args.arch} min_ms={fastest:.3f}{suffix}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
