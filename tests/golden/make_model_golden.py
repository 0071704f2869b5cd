#!/usr/bin/python3
"""Golden data for the ECNN runners: model_advanced.safetensors and model_basic.safetensors.

Run with Debian's python3 (python3-torch 1.13):  /usr/bin/python3 tests/golden/make_model_golden.py
The models are tools/ecnn_pytorch.py's NetworkAdvanced / NetworkBasic with the deterministic random
weights of ecnn_random.py (seed in the metadata); eval mode. Only inputs and outputs are stored
(the C++ test rebuilds the same weights with random_model), plus a few weight values ("probe.*")
so the C++ generator is checked value for value against the Python one.

Per case k: case<k>.gray (N,1,H,W) F32, case<k>.category (N) I64, case<k>.ab (N,2,H,W) F32.
"""
import importlib.util
import os

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SEED = 7
CASES = [(2, 32, 32), (1, 48, 64), (1, 16, 16)]
# Fixed categories per case, so every row of both embedding tables is used somewhere.
CATEGORIES = {"advanced": [[3, 7], [1], [0]], "basic": [[0, 5], [2], [4]]}
PROBES = {
    "advanced": ["conv1.weight", "conv1.bias", "conv1_bn.weight", "conv1_bn.bias", "conv1_bn.running_mean",
                 "conv1_bn.running_var", "tconv3.weight", "dilat2.weight", "embd.weight", "tconv_out.weight"],
    "basic": ["embb.weight", "tconv2.weight", "tconv1_bn.running_var"],
}


def _import(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    st = _import("st", os.path.join(HERE, "st.py"))
    ecnn = _import("ecnn_pytorch", os.path.join(ROOT, "tools", "ecnn_pytorch.py"))
    torch.manual_seed(0)
    rng = np.random.default_rng(2024)
    for arch in ("advanced", "basic"):
        model = ecnn.build(arch)
        ecnn.load_random(model, SEED)
        model.eval()
        state = model.state_dict()
        out = {}
        for name in PROBES[arch]:
            out["probe." + name] = state[name].numpy().ravel()[:4].copy()
        for k, (n, h, w) in enumerate(CASES):
            gray = rng.uniform(0.0, 100.0, size=(n, 1, h, w)).astype(np.float32)
            category = np.array(CATEGORIES[arch][k], dtype=np.int64)
            with torch.no_grad():
                ab = model(torch.from_numpy(gray), torch.from_numpy(category)).numpy()
            out[f"case{k}.gray"] = gray
            out[f"case{k}.category"] = category
            out[f"case{k}.ab"] = ab.astype(np.float32)
            print(f"{arch} case{k}: gray {gray.shape} category {category.tolist()} ab {ab.shape} "
                  f"max|ab| {np.abs(ab).max():.3f} mean {ab.mean():.3f}")
        path = os.path.join(HERE, f"model_{arch}.safetensors")
        st.save(path, out, {"seed": SEED, "arch": arch, "torch": torch.__version__,
                            "cases": len(CASES)})
        print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
