#!/usr/bin/env python3
"""ResNet-18 at 224x224, batch 1: PyTorch's CPU time, and the ONNX file for `convlab bench --model`.

Builds the full-width ResNet-18 of He et al. 2015 (64-128-256-512 channels, 1000 classes; the same
class as tests/golden/make_onnx_zoo.py, which writes a narrow one for the tests), random weights,
eval mode; exports it with torch.onnx.export (opset 17) to --out, then times its forward pass in
PyTorch under torch.no_grad: warm-up runs, then --runs timed runs, and prints the line
`convlab bench` prints (median and best):
    size=224 median_ms=... runs=20 threads=2 backend=pytorch-cpu model=resnet18 min_ms=...
Compare with, in the same run:
    convlab bench --model OUT --size 224 --runs 20
Run with Debian's interpreter (python3-torch): /usr/bin/python3 tools/bench_onnx_resnet18.py --out /tmp/r18.onnx
"""
import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden"))
import make_onnx_zoo  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="where to write the ONNX file")
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: torch's choice)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = make_onnx_zoo.ResNet18(width=64, classes=1000).eval()
    x = torch.rand(1, 3, args.size, args.size)
    torch.onnx.export(model, x, args.out, opset_version=17, input_names=["input"], output_names=["output"],
                      do_constant_folding=True)
    times = []
    with torch.no_grad():
        for run in range(args.warmup + args.runs):
            start = time.perf_counter()
            model(x)
            if run >= args.warmup:
                times.append((time.perf_counter() - start) * 1000.0)
    print(f"size={args.size} median_ms={statistics.median(times):.3f} runs={args.runs} "
          f"threads={torch.get_num_threads()} backend=pytorch-cpu model=resnet18 min_ms={min(times):.3f} "
          f"max_ms={max(times):.3f}", flush=True)


if __name__ == "__main__":
    main()
