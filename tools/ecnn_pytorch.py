#!/usr/bin/env python3
"""ECNN in PyTorch, exactly as ConvLab describes it (assets/models/ecnn_*.json), for moving models
between PyTorch and ConvLab.

Module names are the state_dict names of the original model (docs: /work/shared/seed/ecnn-architecture.md),
so `load_state_dict` takes a checkpoint trained with the original code, and ConvLab's safetensors
(the same names) load here and back.

    from ecnn_pytorch import NetworkAdvanced, load_convlab, save_convlab
    net = NetworkAdvanced().eval()
    load_convlab(net, "assets/models/ecnn_advanced.safetensors")
    ab = net(gray, category)          # gray (N,1,H,W) L in [0,100], category (N) int64 -> (N,2,H,W)
    save_convlab(net, "mine.safetensors", arch="advanced")

Command line:
    python3 tools/ecnn_pytorch.py info --arch advanced
    python3 tools/ecnn_pytorch.py random --arch basic --seed 7 --out basic_random.safetensors
    python3 tools/ecnn_pytorch.py convert --arch advanced --checkpoint model.pt --out model.safetensors
    python3 tools/ecnn_pytorch.py export --arch advanced --in assets/models/ecnn_advanced.safetensors --checkpoint model.pt
"""
import argparse
import importlib.util
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _import_by_path(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


st = _import_by_path("convlab_st", os.path.join(_ROOT, "tests", "golden", "st.py"))

EMB_SIZE = 10
CATEGORIES = 8


def _broadcast(table, category, like):
    """The category embedding repeated over the H x W of `like`: (N, emb, H, W)."""
    e = table(category)
    return e[:, :, None, None].expand(-1, -1, like.shape[2], like.shape[3])


class NetworkAdvanced(nn.Module):
    """The full ECNN U-Net (3,669,194 parameters)."""

    def __init__(self, emb_size=EMB_SIZE):
        super().__init__()
        self.embd = nn.Embedding(CATEGORIES, emb_size)
        self.conv1 = nn.Conv2d(1 + emb_size, 32, 4, 2, 1)
        self.conv1_bn = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, 4, 2, 1)
        self.conv2_bn = nn.BatchNorm2d(64)
        self.conv3 = nn.Conv2d(64, 128, 4, 2, 1)
        self.conv3_bn = nn.BatchNorm2d(128)
        self.conv4 = nn.Conv2d(128, 256, 4, 2, 1)
        self.conv4_bn = nn.BatchNorm2d(256)
        self.dilat1 = nn.Conv2d(256, 256, 4, 1, 3, dilation=2)
        self.dilat1_bn = nn.BatchNorm2d(256)
        self.dilat2 = nn.Conv2d(256, 256, 4, 1, 3, dilation=2)
        self.dilat2_bn = nn.BatchNorm2d(256)
        self.tconv3 = nn.ConvTranspose2d(256 + emb_size, 128, 4, 2, 1)
        self.tconv3_bn = nn.BatchNorm2d(128)
        self.tconv2 = nn.ConvTranspose2d(256, 64, 4, 2, 1)
        self.tconv2_bn = nn.BatchNorm2d(64)
        self.tconv1 = nn.ConvTranspose2d(128, 32, 4, 2, 1)
        self.tconv1_bn = nn.BatchNorm2d(32)
        self.tconv0 = nn.ConvTranspose2d(64, 2, 4, 2, 1)
        self.tconv_out = nn.Conv2d(3, 2, 3, 1, 1)

    def forward(self, gray, category):
        x0 = torch.cat([gray, _broadcast(self.embd, category, gray)], 1)
        c1 = F.relu(self.conv1_bn(self.conv1(x0)))
        c2 = F.relu(self.conv2_bn(self.conv2(c1)))
        c3 = F.relu(self.conv3_bn(self.conv3(c2)))
        c4 = F.relu(self.conv4_bn(self.conv4(c3)))
        d1 = F.relu(self.dilat1_bn(self.dilat1(c4)))
        d2 = F.relu(self.dilat2_bn(self.dilat2(d1)))
        x1 = torch.cat([d2, _broadcast(self.embd, category, d2)], 1)
        t3 = torch.cat([F.relu(self.tconv3_bn(self.tconv3(x1))), c3], 1)
        t2 = torch.cat([F.relu(self.tconv2_bn(self.tconv2(t3))), c2], 1)
        t1 = torch.cat([F.relu(self.tconv1_bn(self.tconv1(t2))), c1], 1)
        t0 = torch.cat([F.relu(self.tconv0(t1)), gray], 1)
        return self.tconv_out(t0)


class NetworkBasic(nn.Module):
    """The small ECNN: two convolutions down, two transposed convolutions up."""

    def __init__(self, emb_size=EMB_SIZE):
        super().__init__()
        self.embb = nn.Embedding(CATEGORIES, emb_size)
        self.conv1 = nn.Conv2d(1 + emb_size, 32, 4, 2, 1)
        self.conv1_bn = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, 4, 2, 1)
        self.conv2_bn = nn.BatchNorm2d(64)
        self.tconv1 = nn.ConvTranspose2d(64 + emb_size, 32, 4, 2, 1)
        self.tconv1_bn = nn.BatchNorm2d(32)
        self.tconv2 = nn.ConvTranspose2d(32, 2, 4, 2, 1)

    def forward(self, gray, category):
        x0 = torch.cat([gray, _broadcast(self.embb, category, gray)], 1)
        c1 = F.relu(self.conv1_bn(self.conv1(x0)))
        c2 = F.relu(self.conv2_bn(self.conv2(c1)))
        x1 = torch.cat([c2, _broadcast(self.embb, category, c2)], 1)
        t1 = F.relu(self.tconv1_bn(self.tconv1(x1)))
        return F.relu(self.tconv2(t1))


ARCHS = {"advanced": NetworkAdvanced, "basic": NetworkBasic}


def build(arch):
    if arch not in ARCHS:
        raise ValueError(f"arch {arch!r}: valid are {', '.join(ARCHS)}")
    return ARCHS[arch]()


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def state_dict_from_numpy(tensors):
    """numpy dict (as st.load returns) -> torch state_dict; F16 weights become float32."""
    out = {}
    for name, arr in tensors.items():
        if arr.dtype == np.float16:
            arr = arr.astype(np.float32)
        if name.endswith("num_batches_tracked"):
            arr = arr.astype(np.int64)
        out[name] = torch.from_numpy(np.ascontiguousarray(arr))
    return out


def load_convlab(model, path):
    """Loads a ConvLab (or any state_dict-named) safetensors file; strict, so names must match."""
    model.load_state_dict(state_dict_from_numpy(st.load(path)), strict=True)
    return model


def save_convlab(model, path, arch, dtype=np.float32):
    """Writes the state_dict as ConvLab reads it: floats as F32 (or F16), num_batches_tracked I64 scalars."""
    tensors = {}
    for name, value in model.state_dict().items():
        arr = value.detach().cpu().numpy()
        if name.endswith("num_batches_tracked"):
            tensors[name] = np.array(int(arr), dtype=np.int64)
        else:
            tensors[name] = arr.astype(dtype)
    st.save(path, tensors, {"format": "pt", "arch": arch})


def load_random(model, seed):
    """ConvLab's deterministic random weights (tests/golden/ecnn_random.py)."""
    rnd = _import_by_path("ecnn_random", os.path.join(_ROOT, "tests", "golden", "ecnn_random.py"))
    model.load_state_dict(state_dict_from_numpy(rnd.random_state_dict(model, seed)), strict=True)
    return model


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    info = sub.add_parser("info", help="print the state_dict names, shapes and the parameter count")
    info.add_argument("--arch", default="advanced", choices=ARCHS)
    rand = sub.add_parser("random", help="write ConvLab's deterministic random weights")
    rand.add_argument("--arch", default="advanced", choices=ARCHS)
    rand.add_argument("--seed", type=int, default=0)
    rand.add_argument("--out", required=True)
    conv = sub.add_parser("convert", help="PyTorch checkpoint (state_dict, torch.save) -> ConvLab safetensors")
    conv.add_argument("--arch", default="advanced", choices=ARCHS)
    conv.add_argument("--checkpoint", required=True)
    conv.add_argument("--out", required=True)
    conv.add_argument("--f16", action="store_true", help="store weights as float16")
    trip = sub.add_parser("roundtrip", help="ConvLab safetensors -> PyTorch model -> ConvLab safetensors, "
                                            "plus the model's output on a fixed input (for tests)")
    trip.add_argument("--arch", default="advanced", choices=ARCHS)
    trip.add_argument("--in", dest="inp", required=True)
    trip.add_argument("--out", required=True)
    trip.add_argument("--forward", help="write gray (1,1,32,32), category (1) and the eval-mode output ab here")
    export = sub.add_parser("export", help="ConvLab safetensors -> PyTorch checkpoint (torch.save of the state_dict)")
    export.add_argument("--arch", default="advanced", choices=ARCHS)
    export.add_argument("--in", dest="inp", required=True)
    export.add_argument("--checkpoint", required=True)
    args = parser.parse_args(argv)

    model = build(args.arch)
    if args.command == "info":
        for name, value in model.state_dict().items():
            print(f"{name} {tuple(value.shape)}")
        print(f"parameters: {parameter_count(model)}")
    elif args.command == "random":
        load_random(model, args.seed)
        save_convlab(model, args.out, args.arch)
    elif args.command == "convert":
        state = torch.load(args.checkpoint, map_location="cpu")
        if isinstance(state, dict) and "state_dict" in state:
            state = state["state_dict"]
        model.load_state_dict(state, strict=True)
        save_convlab(model, args.out, args.arch, np.float16 if args.f16 else np.float32)
    elif args.command == "roundtrip":
        load_convlab(model, args.inp)
        save_convlab(model, args.out, args.arch)
        if args.forward:
            model.eval()
            gray = torch.linspace(0, 100, 32 * 32, dtype=torch.float32).reshape(1, 1, 32, 32)
            category = torch.tensor([3], dtype=torch.int64)
            with torch.no_grad():
                ab = model(gray, category)
            st.save(args.forward, {"gray": gray.numpy(), "category": category.numpy(), "ab": ab.numpy()})
    elif args.command == "export":
        load_convlab(model, args.inp)
        torch.save(model.state_dict(), args.checkpoint)
    return 0


if __name__ == "__main__":
    sys.exit(main())
