#!/usr/bin/env python3
"""Trains ECNN in PyTorch on a colorize128-style folder and writes ConvLab safetensors.

The reference trainer for the shipped weights while ConvLab's own `convlab train` is being
built, and the way to train on a bigger machine: same data layout (a folder of images plus
`categories.csv` with `image;category`), same model (tools/ecnn_pytorch.py), same targets
(scikit-image Lab, D65: L in [0, 100] in, raw a,b out), MSE on (a,b), Adam.

    python3 tools/train_pytorch.py --data ../shared/data/colorize128/train \\
        --categories ../shared/data/colorize128/categories.csv --minutes 60 \\
        --out assets/models/ecnn_advanced.safetensors --log train_log.csv

Images are resized/cropped to --size (random horizontal flips); a checkpoint is written
after every epoch and when the time budget ends, so a run can stop at any point.
"""
import argparse
import csv
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from skimage.color import rgb2lab

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ecnn_pytorch  # noqa: E402


def load_dataset(folder, categories_csv, size):
    """L (N,1,S,S) float32, ab (N,2,S,S) float32, categories (N,) int64; bad rows are listed and skipped."""
    with open(categories_csv, newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    labels = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or not row[1].strip().isdigit() or not 0 <= int(row[1]) <= 7:
            print(f"{categories_csv}:{line}: skipped (want image;category with category 0-7): {row}")
            continue
        labels[row[0].strip()] = int(row[1])
    names = sorted(n for n in os.listdir(folder) if n in labels)
    L = np.zeros((len(names), 1, size, size), np.float32)
    ab = np.zeros((len(names), 2, size, size), np.float32)
    cats = np.zeros(len(names), np.int64)
    kept = 0
    for name in names:
        try:
            img = Image.open(os.path.join(folder, name)).convert("RGB")
        except Exception as e:  # unreadable files are listed and skipped, never fatal
            print(f"{name}: skipped ({e})")
            continue
        w, h = img.size
        s = min(w, h)
        img = img.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s))
        if s != size:
            img = img.resize((size, size), Image.LANCZOS)
        lab = rgb2lab(np.asarray(img, dtype=np.float64) / 255.0).astype(np.float32)
        L[kept, 0] = lab[:, :, 0]
        ab[kept] = lab[:, :, 1:].transpose(2, 0, 1)
        cats[kept] = labels[name]
        kept += 1
    return torch.from_numpy(L[:kept]), torch.from_numpy(ab[:kept]), torch.from_numpy(cats[:kept])


def chroma_weighted_loss(prediction, target, k):
    """The loss of convlab train --chroma-weight K (core/train/loss.h); K = 0 is F.mse_loss."""
    if k == 0:
        return F.mse_loss(prediction, target)
    w = 1 + k * target.norm(dim=1, keepdim=True) / 100
    return (w * (prediction - target) ** 2).sum() / w.expand_as(prediction).sum()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--categories", required=True)
    p.add_argument("--arch", default="advanced", choices=["advanced", "basic"])
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--minutes", type=float, default=0, help="stop after this much training time (0: no limit)")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    p.add_argument("--log", default="")
    p.add_argument("--f16", action="store_true", help="store the weights as float16")
    p.add_argument("--chroma-weight", type=float, default=0.0,
                   help="weight each pixel by 1 + K * |ab true| / 100 (convlab train --chroma-weight)")
    args = p.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    t0 = time.time()
    L, ab, cats = load_dataset(args.data, args.categories, args.size)
    print(f"{len(L)} images loaded in {time.time() - t0:.0f} s", flush=True)
    model = ecnn_pytorch.build(args.arch).train()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    log = open(args.log, "w") if args.log else None
    if log:
        log.write("epoch,step,images,seconds,loss\n")
    dtype = np.float16 if args.f16 else np.float32
    start = time.time()
    images = 0
    step = 0
    out_of_time = False
    for epoch in range(1, args.epochs + 1):
        order = torch.randperm(len(L))
        epoch_loss, batches = 0.0, 0
        for i in range(0, len(L) - args.batch + 1, args.batch):
            idx = order[i:i + args.batch]
            x, y, c = L[idx], ab[idx], cats[idx]
            flip = torch.rand(len(idx)) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(-1), x)
            y = torch.where(flip[:, None, None, None], y.flip(-1), y)
            loss = chroma_weighted_loss(model(x, c), y, args.chroma_weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            images += len(idx)
            epoch_loss += loss.item()
            batches += 1
            elapsed = time.time() - start
            if log:
                log.write(f"{epoch},{step},{images},{elapsed:.1f},{loss.item():.4f}\n")
                log.flush()
            if step % 20 == 0:
                print(f"epoch {epoch} step {step} loss {loss.item():.2f} {images / elapsed:.1f} img/s", flush=True)
            if args.minutes and elapsed > args.minutes * 60:
                out_of_time = True
                break
        print(f"epoch {epoch} mean loss {epoch_loss / max(batches, 1):.3f} ({time.time() - start:.0f} s)", flush=True)
        model.eval()
        ecnn_pytorch.save_convlab(model, args.out, args.arch, dtype)
        model.train()
        if out_of_time:
            break
    print(f"wrote {args.out}: {step} steps, {images} images, {time.time() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
