#!/usr/bin/python3
"""Golden data for training: train_step_advanced.safetensors and train_step_basic.safetensors.

Run with Debian's python3 (python3-torch 1.13):  /usr/bin/python3 tests/golden/make_train_golden.py
The models are tools/ecnn_pytorch.py's NetworkAdvanced / NetworkBasic with the deterministic random
weights of ecnn_random.py (seed in the metadata), so the C++ test rebuilds the same start with
random_model(graph, seed). In train mode, with torch.optim.Adam's defaults (lr 1e-3, betas 0.9/0.999,
eps 1e-8) and F.mse_loss (mean), two steps are taken, each on its own batch:

    step 1: batch0 -> loss, gradients, Adam step -> weights and running statistics
    step 2: batch1 -> loss, Adam step (the second, with its bias corrections) -> weights and statistics

Stored tensors:
    batch<b>.gray (N,1,H,W), batch<b>.target (N,2,H,W)   b = 0, 1; F16, holding values made exactly
        representable in F16 first (so they load as the exact float32 inputs), batch<b>.category (N) I64
    step<s>.loss (1) F32, step<s>.num_batches_tracked (1) I64                                s = 1, 2
    step1.grad.<param>, step1.<param>, step2.<param>   every learnable parameter, F32
    step<s>.<bn>.running_mean, step<s>.<bn>.running_var  every batch norm, in full, F32
The parameter tensors are stored in full for basic. For advanced (3.7 M parameters, too big to commit)
each is flattened and only SUBSET values are kept, at the indices (k * 1000003) mod numel for
k = 0 .. SUBSET-1 (all of them, in order, when numel <= SUBSET); a prime stride, so the picks spread
over every kernel tap and channel. The C++ test picks the same indices.

The sizes are chosen so that float32 is well conditioned: the script recomputes the step-1 gradients
in float64 and refuses to write the files unless the float32 ones agree (CONDITION below). At 32x32
with a batch of 2, advanced fails that check by far (PyTorch's own float32 gradients are 3-14% off its
float64 ones: ReLU masks flip on values within rounding of 0, and the 2x2 bottleneck batch-normalizes
8 values), which would make any comparison meaningless; at 64x64 with a batch of 4 they agree to ~1e-6.
"""
import importlib.util
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = 7
SIZES = {"advanced": (4, 64, 64), "basic": (2, 32, 32)}  # N, H, W
SUBSET = 256
PRIME = 1000003
CONDITION = 1e-4  # max |grad32 - grad64| / max |grad64| per parameter, at most
CATEGORIES = {"advanced": [[3, 7, 1, 7], [5, 5, 0, 2]], "basic": [[0, 5], [2, 2]]}


def _import(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def subset(values, full):
    flat = values.detach().numpy().astype(np.float32).ravel()
    if full or flat.size <= SUBSET:
        return flat.reshape(values.shape) if full else flat
    index = (np.arange(SUBSET, dtype=np.int64) * PRIME) % flat.size
    return flat[index].copy()


def f16_exact(values):
    """float32 values that F16 stores exactly."""
    return values.astype(np.float16).astype(np.float32)


def check_condition(ecnn, arch, gray, category, target, grads32):
    """The float32 step-1 gradients must agree with a float64 evaluation of the same step."""
    model = ecnn.build(arch)
    ecnn.load_random(model, SEED)
    model = model.double().train()
    loss = F.mse_loss(model(torch.from_numpy(gray).double(), torch.from_numpy(category)),
                      torch.from_numpy(target).double())
    loss.backward()
    worst = 0.0
    for name, p in model.named_parameters():
        g64 = p.grad.numpy()
        scale = np.abs(g64).max()
        if scale < 1e-9:  # a bias in front of a batch norm: exactly 0, both sides are rounding noise
            continue
        worst = max(worst, np.abs(grads32[name].astype(np.float64) - g64).max() / scale)
    print(f"{arch}: float32 vs float64 step-1 gradients, worst relative error {worst:.2e}")
    if worst > CONDITION:
        raise SystemExit(f"{arch}: float32 training is ill-conditioned at these sizes ({worst:.2e} > {CONDITION})")


def main():
    st = _import("st", os.path.join(HERE, "st.py"))
    ecnn = _import("ecnn_pytorch", os.path.join(ROOT, "tools", "ecnn_pytorch.py"))
    torch.manual_seed(0)
    rng = np.random.default_rng(6)
    for arch in ("advanced", "basic"):
        full = arch == "basic"
        model = ecnn.build(arch)
        ecnn.load_random(model, SEED)
        model.train()
        optimizer = torch.optim.Adam(model.parameters())
        params = dict(model.named_parameters())
        buffers = {name: b for name, b in model.named_buffers() if "running_" in name}
        out = {}
        n, h, w = SIZES[arch]
        for b in range(2):
            gray = f16_exact(rng.uniform(0.0, 100.0, size=(n, 1, h, w)))
            target = f16_exact(rng.normal(0.0, 30.0, size=(n, 2, h, w)))
            category = np.array(CATEGORIES[arch][b], dtype=np.int64)
            out[f"batch{b}.gray"] = gray.astype(np.float16)
            out[f"batch{b}.category"] = category
            out[f"batch{b}.target"] = target.astype(np.float16)
            step = f"step{b + 1}"
            optimizer.zero_grad()
            loss = F.mse_loss(model(torch.from_numpy(gray), torch.from_numpy(category)), torch.from_numpy(target))
            loss.backward()
            if b == 0:
                check_condition(ecnn, arch, gray, category, target,
                                {name: p.grad.numpy().copy() for name, p in params.items()})
                for name, p in params.items():
                    out[f"{step}.grad.{name}"] = subset(p.grad, full)
            optimizer.step()
            out[f"{step}.loss"] = np.array([loss.item()], dtype=np.float32)
            out[f"{step}.num_batches_tracked"] = np.array([int(model.state_dict()[
                next(n for n in model.state_dict() if n.endswith("num_batches_tracked"))])], dtype=np.int64)
            for name, p in params.items():
                out[f"{step}.{name}"] = subset(p, full)
            for name, buf in buffers.items():
                out[f"{step}.{name}"] = buf.detach().numpy().astype(np.float32).copy()
            print(f"{arch} {step}: loss {loss.item():.6f}")
        path = os.path.join(HERE, f"train_step_{arch}.safetensors")
        st.save(path, out, {"seed": SEED, "arch": arch, "torch": torch.__version__, "subset": 0 if full else SUBSET,
                            "subset_stride": PRIME, "lr": 1e-3})
        print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
