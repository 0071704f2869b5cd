#!/usr/bin/python3
"""Writes the PyTorch golden data for the CPU reference ops (tests/ops).

Run with Debian's interpreter (python3-torch, python3-numpy):
    /usr/bin/python3 tests/golden/make_ops_golden.py
It rewrites tests/golden/ops_*.safetensors exactly: inputs come from fixed
numpy seeds and every result is computed by PyTorch in float64, then stored
as float32, so the files do not depend on which CPU kernels PyTorch picks.

Each file holds numbered cases: `case<i>.<tensor>`, with the op's settings in
`case<i>.params` (I64, layout given per file below), so the C++ tests loop
over `case0, case1, ...` until one is missing.
"""
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st  # noqa: E402

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
META = {"generator": "tests/golden/make_ops_golden.py", "torch": torch.__version__}


def f32(array):
    return np.ascontiguousarray(np.asarray(array, dtype=np.float32))


def i64(values):
    return np.asarray(values, dtype=np.int64)


def randn(rng, *shape):
    return rng.standard_normal(shape).astype(np.float32)


def t64(array):
    """float32 data -> float64 torch tensor (exact), so PyTorch's result is
    the float64 answer for exactly the float32 inputs the C++ test reads."""
    return torch.from_numpy(np.asarray(array, dtype=np.float64))


def save(name, tensors, description):
    meta = dict(META)
    meta["description"] = description
    st.save(os.path.join(OUT_DIR, name), tensors, meta)
    size = os.path.getsize(os.path.join(OUT_DIR, name))
    print(f"{name}: {len(tensors)} tensors, {size} bytes")


# ---- conv2d -----------------------------------------------------------------
# params: [stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right, dil_h, dil_w]
# Asymmetric padding is done the PyTorch way: F.pad, then an unpadded conv.

def conv_fits(h, w, kh, kw, pads, dh, dw):
    pt, pb, pl, pr = pads
    return dh * (kh - 1) + 1 <= h + pt + pb and dw * (kw - 1) + 1 <= w + pl + pr


CONV_CASES = [
    # n, c, o, h, w, kh, kw, sh, sw, (pt, pb, pl, pr), dh, dw, bias
    (1, 1, 1, 1, 1, 1, 1, 1, 1, (0, 0, 0, 0), 1, 1, False),   # a single pixel
    (2, 3, 4, 7, 7, 3, 3, 1, 1, (1, 1, 1, 1), 1, 1, True),
    (1, 2, 3, 11, 13, 7, 7, 1, 1, (3, 3, 3, 3), 1, 1, False),  # 7x7 kernel
    (1, 3, 2, 13, 11, 3, 3, 1, 1, (2, 2, 2, 2), 2, 2, True),   # dilation 2
    (2, 2, 2, 13, 13, 3, 3, 2, 2, (3, 3, 3, 3), 3, 3, True),   # dilation 3, stride 2
    (1, 3, 2, 8, 9, 4, 4, 2, 2, (0, 1, 2, 0), 1, 1, True),     # asymmetric padding
    (1, 11, 8, 16, 16, 4, 4, 2, 2, (1, 1, 1, 1), 1, 1, True),  # ECNN conv1
    (1, 4, 4, 5, 5, 4, 4, 1, 1, (3, 3, 3, 3), 2, 2, True),     # ECNN dilat layers
    (1, 2, 3, 11, 7, 2, 2, 3, 3, (0, 0, 0, 0), 1, 1, False),   # stride 3
    (3, 5, 2, 7, 8, 1, 1, 2, 2, (0, 0, 0, 0), 1, 1, True),     # 1x1 kernel, stride 2
    (1, 2, 2, 11, 13, 2, 5, 3, 1, (1, 0, 0, 2), 1, 3, True),   # rectangular everything
    (1, 1, 1, 3, 3, 3, 3, 1, 1, (0, 0, 0, 0), 1, 1, True),     # one output cell
    (1, 1, 1, 1, 1, 3, 3, 1, 1, (1, 1, 1, 1), 1, 1, False),    # kernel mostly on padding
    (1, 1, 1, 5, 5, 3, 3, 1, 1, (2, 2, 2, 2), 1, 1, True),     # 'full' padding
]


def random_conv_case(rng):
    while True:
        n, c, o = rng.choice([1, 1, 2, 3]), rng.choice([1, 2, 3, 5]), rng.choice([1, 2, 4])
        h, w = rng.choice([1, 2, 3, 5, 7, 8, 11, 13], size=2)
        kh, kw = rng.choice([1, 2, 3, 4, 5, 7], size=2)
        sh, sw, dh, dw = rng.integers(1, 4, size=4)
        pads = tuple(int(p) for p in rng.integers(0, 4, size=4))
        if conv_fits(h, w, kh, kw, pads, dh, dw):
            return (int(n), int(c), int(o), int(h), int(w), int(kh), int(kw), int(sh), int(sw), pads, int(dh),
                    int(dw), bool(rng.integers(0, 2)))


def make_conv2d():
    rng = np.random.default_rng(2024)
    cases = CONV_CASES + [random_conv_case(rng) for _ in range(36)]
    tensors = {}
    for i, (n, c, o, h, w, kh, kw, sh, sw, pads, dh, dw, bias) in enumerate(cases):
        x, weight = randn(rng, n, c, h, w), randn(rng, o, c, kh, kw)
        b = randn(rng, o) if bias else None
        pt, pb, pl, pr = pads
        padded = F.pad(t64(x), (pl, pr, pt, pb))
        y = F.conv2d(padded, t64(weight), None if b is None else t64(b), stride=(sh, sw), dilation=(dh, dw))
        key = f"case{i}."
        tensors[key + "input"], tensors[key + "weight"], tensors[key + "output"] = x, weight, f32(y)
        if b is not None:
            tensors[key + "bias"] = b
        tensors[key + "params"] = i64([sh, sw, pt, pb, pl, pr, dh, dw])
    save("ops_conv2d.safetensors", tensors,
         "conv2d; params = [stride_h, stride_w, pad_top, pad_bottom, pad_left, pad_right, dil_h, dil_w]")


def make_conv_same():
    """padding='same' at stride 1 (PyTorch refuses it for stride > 1): the
    padding PyTorch chose and its output, for odd and even kernels."""
    rng = np.random.default_rng(7)
    tensors = {}
    i = 0
    for kh, kw, dh, dw, h, w in [(1, 1, 1, 1, 5, 5), (2, 2, 1, 1, 5, 6), (3, 3, 1, 1, 7, 7), (4, 4, 1, 1, 8, 7),
                                 (5, 2, 1, 1, 6, 9), (3, 4, 2, 1, 9, 8), (4, 3, 3, 2, 11, 10),
                                 (2, 5, 3, 3, 13, 12), (6, 6, 1, 1, 6, 6), (7, 7, 2, 2, 13, 13)]:
        x, weight, b = randn(rng, 1, 2, h, w), randn(rng, 3, 2, kh, kw), randn(rng, 3)
        conv = torch.nn.Conv2d(2, 3, (kh, kw), padding="same", dilation=(dh, dw))
        left, right, top, bottom = conv._reversed_padding_repeated_twice
        y = F.conv2d(t64(x), t64(weight), t64(b), padding="same", dilation=(dh, dw))
        key = f"case{i}."
        tensors.update({key + "input": x, key + "weight": weight, key + "bias": b, key + "output": f32(y),
                        key + "params": i64([dh, dw]), key + "padding": i64([top, bottom, left, right])})
        i += 1
    save("ops_conv_same.safetensors", tensors,
         "conv2d padding='same', stride 1; params = [dil_h, dil_w]; padding = [top, bottom, left, right]")


# ---- conv_transpose2d -----------------------------------------------------------
# params: [stride_h, stride_w, pad_h, pad_w, out_pad_h, out_pad_w, dil_h, dil_w]

def tconv_out(i, k, s, p, op, d):
    return (i - 1) * s - 2 * p + d * (k - 1) + op + 1


TCONV_CASES = [
    # n, c, o, h, w, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, bias
    (1, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, 1, 1, False),  # the seed's picture
    (1, 6, 4, 8, 8, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, True),   # ECNN tconv layers
    (2, 3, 2, 7, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, True),   # output_padding 1
    (1, 2, 3, 5, 4, 3, 3, 3, 3, 1, 1, 2, 2, 1, 1, True),   # stride 3, output_padding 2
    (1, 2, 2, 5, 6, 3, 3, 1, 1, 0, 1, 1, 1, 2, 2, False),  # output_padding < dilation
    (1, 3, 2, 4, 5, 1, 1, 2, 2, 0, 0, 1, 1, 1, 1, True),   # 1x1 kernel
    (1, 2, 2, 3, 3, 7, 7, 1, 1, 3, 3, 0, 0, 1, 1, True),   # 7x7 kernel
    (2, 2, 3, 5, 7, 3, 4, 2, 3, 0, 1, 1, 2, 1, 2, False),  # rectangular everything
    (1, 1, 1, 1, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, True),   # single input pixel
    (1, 4, 2, 11, 13, 4, 4, 2, 2, 1, 1, 0, 0, 1, 1, True),
    (1, 1, 1, 3, 3, 2, 2, 2, 2, 0, 0, 0, 0, 3, 3, True),   # dilation 3, gaps in intermediates
]


def random_tconv_case(rng):
    while True:
        n, c, o = rng.choice([1, 1, 2, 3]), rng.choice([1, 2, 3, 5]), rng.choice([1, 2, 4])
        h, w = rng.choice([1, 2, 3, 5, 7, 8, 11, 13], size=2)
        kh, kw = rng.choice([1, 2, 3, 4, 5, 7], size=2)
        sh, sw, dh, dw = rng.integers(1, 4, size=4)
        ph, pw = rng.integers(0, 4, size=2)
        oph, opw = rng.integers(0, 3, size=2)
        if oph >= max(sh, dh) or opw >= max(sw, dw):
            continue
        if tconv_out(h, kh, sh, ph, oph, dh) < 1 or tconv_out(w, kw, sw, pw, opw, dw) < 1:
            continue
        return tuple(int(v) for v in (n, c, o, h, w, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw)) + (
            bool(rng.integers(0, 2)),)


def make_conv_transpose2d():
    rng = np.random.default_rng(4242)
    cases = TCONV_CASES + [random_tconv_case(rng) for _ in range(36)]
    tensors = {}
    for i, (n, c, o, h, w, kh, kw, sh, sw, ph, pw, oph, opw, dh, dw, bias) in enumerate(cases):
        x, weight = randn(rng, n, c, h, w), randn(rng, c, o, kh, kw)
        b = randn(rng, o) if bias else None
        y = F.conv_transpose2d(t64(x), t64(weight), None if b is None else t64(b), stride=(sh, sw),
                               padding=(ph, pw), output_padding=(oph, opw), dilation=(dh, dw))
        key = f"case{i}."
        tensors[key + "input"], tensors[key + "weight"], tensors[key + "output"] = x, weight, f32(y)
        if b is not None:
            tensors[key + "bias"] = b
        tensors[key + "params"] = i64([sh, sw, ph, pw, oph, opw, dh, dw])
    save("ops_conv_transpose2d.safetensors", tensors,
         "conv_transpose2d; params = [stride_h, stride_w, pad_h, pad_w, out_pad_h, out_pad_w, dil_h, dil_w]")


# ---- batch norm -----------------------------------------------------------------
# params (F32): [training (0/1), momentum, eps]

def make_batch_norm():
    rng = np.random.default_rng(99)
    tensors = {}
    shapes = [(2, 3, 5, 7), (1, 4, 1, 3), (4, 1, 1, 1), (3, 5, 7, 1), (2, 8, 4, 4), (1, 2, 13, 11)]
    i = 0
    for shape in shapes:
        for training, momentum, eps in [(1, 0.1, 1e-5), (0, 0.1, 1e-5), (1, 0.3, 1e-3)]:
            # A large mean and spread per channel tests the statistics.
            x = (randn(rng, *shape) * rng.uniform(0.5, 3.0) + rng.uniform(-10, 10)).astype(np.float32)
            c = shape[1]
            gamma, beta = randn(rng, c), randn(rng, c)
            running_mean = randn(rng, c)
            running_var = rng.uniform(0.2, 2.0, size=c).astype(np.float32)
            rm, rv = t64(running_mean), t64(running_var)
            y = F.batch_norm(t64(x), rm, rv, t64(gamma), t64(beta), training=bool(training), momentum=momentum,
                             eps=eps)
            key = f"case{i}."
            tensors.update({key + "input": x, key + "weight": gamma, key + "bias": beta,
                            key + "running_mean": running_mean, key + "running_var": running_var,
                            key + "output": f32(y), key + "running_mean_after": f32(rm),
                            key + "running_var_after": f32(rv), key + "params": f32([training, momentum, eps])})
            i += 1
    save("ops_batch_norm.safetensors", tensors, "batch_norm2d; params (F32) = [training, momentum, eps]")


# ---- relu, concat, embed, upsample ----------------------------------------------------

def make_misc():
    rng = np.random.default_rng(5)
    tensors = {}
    x = randn(rng, 2, 3, 5, 7)
    x[0, 0, 0, :3] = [0.0, -0.0, 1e-30]
    tensors["relu.input"], tensors["relu.output"] = x, f32(F.relu(t64(x)))

    parts = [randn(rng, 2, c, 5, 7) for c in (1, 3, 2)]
    for k, part in enumerate(parts):
        tensors[f"concat.input{k}"] = part
    tensors["concat.output"] = f32(torch.cat([t64(p) for p in parts], dim=1))

    table = randn(rng, 8, 10)
    categories = [3, 0, 7]
    emb = torch.nn.functional.embedding(torch.tensor(categories), t64(table))
    tensors.update({"embed.table": table, "embed.categories": i64(categories), "embed.params": i64([4, 6]),
                    "embed.output": f32(emb[:, :, None, None].expand(3, 10, 4, 6))})

    # Up and down, integer and non-integer factors, and 1-pixel edges.
    sizes = [((4, 4), (8, 8)), ((5, 7), (13, 11)), ((8, 8), (3, 5)), ((7, 3), (10, 4)), ((1, 1), (3, 3)),
             ((3, 3), (1, 1)), ((16, 16), (24, 40)), ((6, 9), (6, 9)), ((2, 5), (7, 2)), ((13, 11), (4, 17))]
    for i, ((h, w), (oh, ow)) in enumerate(sizes):
        inp = randn(rng, 2 if i % 3 == 0 else 1, 2, h, w)
        out = F.interpolate(t64(inp), size=(oh, ow), mode="bilinear", align_corners=False)
        tensors.update({f"upsample{i}.input": inp, f"upsample{i}.output": f32(out),
                        f"upsample{i}.params": i64([oh, ow])})
    save("ops_misc.safetensors", tensors, "relu, concat, embed (params = [H, W]), upsample (params = [out_h, out_w])")


# ---- max and average pooling ------------------------------------------------------
# params: [kind (0 max, 1 average), kh, kw, stride_h, stride_w, pad_top, pad_bottom, pad_left,
#          pad_right, dil_h, dil_w, ceil_mode, count_include_pad]
# PyTorch pads symmetrically; an asymmetric case pads with F.pad first (-inf
# for max, 0 for an average that counts the padding), so those cases have no
# ceil_mode. AvgPool2d has no dilation.

POOL_CASES = [
    # kind, n, c, h, w, kh, kw, sh, sw, (pt, pb, pl, pr), dh, dw, ceil, count_include_pad
    (0, 1, 1, 4, 4, 2, 2, 2, 2, (0, 0, 0, 0), 1, 1, False, True),   # the textbook 2x2 / 2
    (0, 2, 3, 7, 7, 3, 3, 2, 2, (1, 1, 1, 1), 1, 1, False, True),
    (0, 1, 2, 7, 7, 3, 3, 2, 2, (1, 1, 1, 1), 1, 1, True, True),    # ceil_mode keeps a last window
    (0, 1, 2, 8, 8, 3, 3, 3, 3, (0, 0, 0, 0), 1, 1, True, True),    # ceil_mode, window past the input
    (0, 1, 2, 11, 9, 3, 3, 1, 2, (1, 1, 1, 1), 2, 2, False, True),  # dilation 2
    (0, 1, 1, 9, 10, 3, 2, 2, 1, (0, 1, 1, 0), 1, 1, False, True),  # asymmetric padding
    (0, 1, 3, 5, 5, 5, 5, 1, 1, (2, 2, 2, 2), 1, 1, False, True),   # 'same' 5x5
    (1, 1, 1, 4, 4, 2, 2, 2, 2, (0, 0, 0, 0), 1, 1, False, True),
    (1, 2, 3, 7, 7, 3, 3, 2, 2, (1, 1, 1, 1), 1, 1, False, True),   # padding counted
    (1, 2, 3, 7, 7, 3, 3, 2, 2, (1, 1, 1, 1), 1, 1, False, False),  # padding not counted
    (1, 1, 2, 7, 8, 3, 3, 2, 2, (1, 1, 1, 1), 1, 1, True, True),    # ceil: past the padding is never counted
    (1, 1, 2, 7, 8, 3, 3, 2, 2, (1, 1, 1, 1), 1, 1, True, False),
    (1, 1, 2, 6, 9, 2, 3, 1, 2, (1, 0, 0, 1), 1, 1, False, True),   # asymmetric, padding counted
    (1, 3, 1, 8, 8, 8, 8, 1, 1, (0, 0, 0, 0), 1, 1, False, True),   # global average
]


def random_pool_case(rng):
    while True:
        kind = int(rng.integers(0, 2))
        n, c = int(rng.choice([1, 2])), int(rng.choice([1, 2, 3]))
        h, w = (int(v) for v in rng.choice([2, 3, 5, 7, 8, 11], size=2))
        kh, kw = (int(v) for v in rng.choice([1, 2, 3, 4, 5], size=2))
        sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
        dh, dw = (1, 1) if kind == 1 else (int(v) for v in rng.integers(1, 3, size=2))
        ph, pw = int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1))
        ceil, include = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
        if conv_fits(h, w, kh, kw, (ph, ph, pw, pw), dh, dw):
            return (kind, n, c, h, w, kh, kw, sh, sw, (ph, ph, pw, pw), dh, dw, ceil, include)


def make_pool2d():
    rng = np.random.default_rng(99)
    cases = POOL_CASES + [random_pool_case(rng) for _ in range(26)]
    tensors = {}
    for i, (kind, n, c, h, w, kh, kw, sh, sw, pads, dh, dw, ceil, include) in enumerate(cases):
        x = randn(rng, n, c, h, w)
        pt, pb, pl, pr = pads
        symmetric = pt == pb and pl == pr
        inp, padding = (t64(x), (pt, pl)) if symmetric else (
            F.pad(t64(x), (pl, pr, pt, pb), value=float("-inf") if kind == 0 else 0.0), (0, 0))
        if kind == 0:
            y = F.max_pool2d(inp, (kh, kw), (sh, sw), padding, (dh, dw), ceil_mode=ceil)
        else:
            y = F.avg_pool2d(inp, (kh, kw), (sh, sw), padding, ceil_mode=ceil, count_include_pad=include)
        key = f"case{i}."
        tensors[key + "input"], tensors[key + "output"] = x, f32(y)
        tensors[key + "params"] = i64([kind, kh, kw, sh, sw, pt, pb, pl, pr, dh, dw, int(ceil), int(include)])
    save("ops_pool2d.safetensors", tensors,
         "max (kind 0) and average (kind 1) pooling; params = [kind, kh, kw, stride_h, stride_w, pad_top, "
         "pad_bottom, pad_left, pad_right, dil_h, dil_w, ceil_mode, count_include_pad]")


def main():
    torch.use_deterministic_algorithms(True)
    # PyTorch notes that even 'same' kernels copy the input; expected here.
    warnings.filterwarnings("ignore", message="Using padding='same'")
    make_conv2d()
    make_conv_same()
    make_conv_transpose2d()
    make_batch_norm()
    make_misc()
    make_pool2d()


if __name__ == "__main__":
    main()
