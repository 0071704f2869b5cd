"""Deterministic random ECNN weights, identical to ConvLab's random_model (src/core/model/model.cpp).

Both sides make the same float32 values from (seed, tensor name, index), so a test can build the
same model in PyTorch and in C++ without shipping megabytes of weights.

The formula (all integer arithmetic on uint64, wrapping):
    splitmix64(x): x += 0x9E3779B97F4A7C15; z = x
                   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
                   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
                   return z ^ (z >> 31)
    fnv1a64(name): h = 0xCBF29CE484222325; for each byte: h ^= byte; h *= 0x100000001B3
    u_i = (splitmix64(seed ^ fnv1a64(name) ^ (i * 0x9E3779B97F4A7C15)) >> 40) * 2**-24   (a double in [0, 1))
Value i of each tensor, computed in double and rounded to float32 once:
    conv / transposed conv weight: (2u - 1) * b, b = (1 / sqrt(weight.shape[1] * K * K)) * sqrt(3)
        (PyTorch's fan_in convention: shape[1] is C for a conv, O for a transposed conv; the sqrt(3)
         makes the uniform's variance 1/fan_in so activations keep their scale through the layers)
    conv bias:            (2u - 1) * 0.1
    batch norm weight:    0.75 + 0.5 * u
    batch norm bias:      (2u - 1) * 0.2
    running_mean:         (2u - 1) * 0.2
    running_var:          0.5 + u
    embedding weight:     (2u - 1)
    num_batches_tracked:  0 (int64 scalar)
Run this file to print the first values of a few tensors (the C++ test checks the same numbers).
"""
import math

import numpy as np

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def splitmix64(x):
    """Plain-int reference of splitmix64 (one value)."""
    x = (x + GOLDEN) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def fnv1a64(name):
    h = 0xCBF29CE484222325
    for byte in name.encode("utf-8"):
        h ^= byte
        h = (h * 0x100000001B3) & MASK
    return h


def uniform_int(seed, name, i):
    """u_i with plain Python ints: the readable definition."""
    return (splitmix64((seed ^ fnv1a64(name) ^ ((i * GOLDEN) & MASK)) & MASK) >> 40) * 2.0 ** -24


def uniform(seed, name, count):
    """u_0 .. u_{count-1} as float64, vectorized on numpy uint64 (wraps like C++)."""
    u64 = np.uint64
    i = np.arange(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        x = u64(seed & MASK) ^ u64(fnv1a64(name)) ^ (i * u64(GOLDEN))
        x = x + u64(GOLDEN)
        z = (x ^ (x >> u64(30))) * u64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> u64(27))) * u64(0x94D049BB133111EB)
        z = z ^ (z >> u64(31))
    return (z >> u64(40)).astype(np.float64) * 2.0 ** -24


def conv_weight(seed, name, shape):
    fan = shape[1] * shape[2] * shape[3]
    b = (1.0 / math.sqrt(fan)) * math.sqrt(3.0)
    u = uniform(seed, name, int(np.prod(shape)))
    return ((2.0 * u - 1.0) * b).astype(np.float32).reshape(shape)


def _affine(seed, name, shape, offset, scale):
    """offset + scale * u, the batch-norm weight / running_var forms."""
    u = uniform(seed, name, int(np.prod(shape)))
    return (offset + scale * u).astype(np.float32).reshape(shape)


def _symmetric(seed, name, shape, scale):
    """(2u - 1) * scale."""
    u = uniform(seed, name, int(np.prod(shape)))
    return ((2.0 * u - 1.0) * scale).astype(np.float32).reshape(shape)


def random_state_dict(model, seed):
    """numpy state_dict (float32 tensors, int64 num_batches_tracked) for a torch module tree."""
    import torch.nn as nn

    out = {}
    for prefix, module in model.named_modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
            out[prefix + ".weight"] = conv_weight(seed, prefix + ".weight", tuple(module.weight.shape))
            out[prefix + ".bias"] = _symmetric(seed, prefix + ".bias", tuple(module.bias.shape), 0.1)
        elif isinstance(module, nn.BatchNorm2d):
            c = (module.num_features,)
            out[prefix + ".weight"] = _affine(seed, prefix + ".weight", c, 0.75, 0.5)
            out[prefix + ".bias"] = _symmetric(seed, prefix + ".bias", c, 0.2)
            out[prefix + ".running_mean"] = _symmetric(seed, prefix + ".running_mean", c, 0.2)
            out[prefix + ".running_var"] = _affine(seed, prefix + ".running_var", c, 0.5, 1.0)
            out[prefix + ".num_batches_tracked"] = np.array(0, dtype=np.int64)
        elif isinstance(module, nn.Embedding):
            out[prefix + ".weight"] = _symmetric(seed, prefix + ".weight", tuple(module.weight.shape), 1.0)
    return out


def _self_check():
    # The vectorized form must agree with the plain-int definition.
    for name in ("conv1.weight", "embd.weight"):
        fast = uniform(7, name, 5)
        slow = [uniform_int(7, name, i) for i in range(5)]
        assert list(fast) == slow, (name, fast, slow)


if __name__ == "__main__":
    _self_check()
    seed = 7
    u = uniform(seed, "conv1.weight", 4)
    print("u(seed=7, conv1.weight)[0:4] =", [repr(float(v)) for v in u])
    print("conv1.weight[0:4] =", [repr(float(v)) for v in conv_weight(seed, "conv1.weight", (32, 11, 4, 4)).ravel()[:4]])
