#!/usr/bin/env python3
"""Exports ConvLab's ECNN colorizer from PyTorch to ONNX.

The weights (a ConvLab .safetensors, default the bundled ones) are loaded into the PyTorch ECNN of
tools/ecnn_pytorch.py in eval mode and written with torch.onnx.export: inputs `gray` (1, 1, H, W),
the L channel 0..100, and `category` (1,) int64 (0 none .. 7 outdoor); output `ab` (1, 2, H, W).
The size is fixed when the file is written (--size, a multiple of 16): the exporter turns the
category embedding's broadcast over H x W into Gather, Unsqueeze and Expand with sizes ConvLab
folds when the model loads.

    /usr/bin/python3 tools/export_ecnn_onnx.py --out ecnn_advanced.onnx --size 256
    convlab model info ecnn_advanced.onnx
    convlab model run ecnn_advanced.onnx gray.npy category.npy --out out/

Batch norm is folded into the convolutions by the exporter (PyTorch's eval-mode export), except
after the transposed convolutions, where it stays a BatchNormalization node.
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecnn_pytorch  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="the .onnx file to write")
    parser.add_argument("--weights", default=os.path.join(ROOT, "assets", "models", "ecnn_advanced.safetensors"))
    parser.add_argument("--arch", default="advanced", choices=["advanced", "basic"])
    parser.add_argument("--size", type=int, default=256, help="H and W of the input (a multiple of 16)")
    parser.add_argument("--opset", type=int, default=17)
    args = parser.parse_args(argv)
    if args.size < 16 or args.size % 16:
        parser.error(f"--size {args.size}: give a multiple of 16, e.g. 256")
    model = ecnn_pytorch.load_convlab(ecnn_pytorch.build(args.arch), args.weights).eval()
    gray = torch.full((1, 1, args.size, args.size), 50.0)
    category = torch.tensor([1], dtype=torch.int64)
    torch.onnx.export(model, (gray, category), args.out, opset_version=args.opset,
                      input_names=["gray", "category"], output_names=["ab"], do_constant_folding=True)
    print(f"wrote {args.out} ({os.path.getsize(args.out) / 1e6:.1f} MB): ECNN {args.arch}, "
          f"{args.size}x{args.size}, opset {args.opset}")


if __name__ == "__main__":
    main()
