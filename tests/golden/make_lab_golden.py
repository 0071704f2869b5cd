#!/usr/bin/python3
"""Golden data for core/color/lab: scikit-image's rgb2lab / lab2rgb.

Run with Debian's python (numpy + python3-skimage 0.19):
    /usr/bin/python3 tests/golden/make_lab_golden.py
Writes tests/golden/lab_skimage.safetensors; fixed seeds, so rerunning it
reproduces the committed file byte for byte.

Inputs are float32 (what the C++ side holds) and are converted to float64
before calling skimage, so both sides start from identical values; outputs
are stored as float32. Tensors are NCHW like the rest of ConvLab:
  rgb_in  (2,3,27,28) grid over thresholds/primaries/grays + random, in [0,1]
  lab_out rgb2lab(rgb_in)
  lab_in  (1,3,30,40) Lab values, many out of the sRGB gamut (incl. Z < 0)
  rgb_out lab2rgb(lab_in)  (skimage clips z<0 to 0 with a warning and clips RGB to [0,1])
"""
import os
import sys
import warnings

import numpy as np
from skimage import __version__ as skimage_version
from skimage.color import lab2rgb, rgb2lab

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st  # noqa: E402


def nchw(hwc_batch):
    return np.ascontiguousarray(np.transpose(hwc_batch, (0, 3, 1, 2)))


def nhwc(nchw_batch):
    return np.ascontiguousarray(np.transpose(nchw_batch, (0, 2, 3, 1)))


def rgb_inputs(rng):
    # Levels on both sides of the sRGB companding threshold 0.04045, plus
    # 0 and 1: the cube holds black, white, grays, primaries and secondaries.
    levels = np.array([0.0, 0.01, 0.04045, 0.0405, 0.2, 0.5, 0.8, 1.0], dtype=np.float32)
    grid = np.stack(np.meshgrid(levels, levels, levels, indexing="ij"), axis=-1).reshape(-1, 3)
    grays = np.repeat(np.linspace(0, 1, 52, dtype=np.float32)[:, None], 3, axis=1)
    random = rng.random((1512 - len(grid) - len(grays), 3), dtype=np.float32)
    pixels = np.concatenate([grid, grays, random]).astype(np.float32)
    return nchw(pixels.reshape(2, 27, 28, 3))


def lab_inputs(rng):
    n = 30 * 40
    fixed = np.array([[0, 0, 0], [100, 0, 0], [50, 0, 0], [53.24, 80.09, 67.20],  # ~red
                      [50, 0, 120], [20, -20, 110], [5, 0, 60],                    # Z < 0
                      [110, 0, 0], [-10, 0, 0], [60, -128, 127], [60, 127, -128],
                      [0.5, 0, 0], [8.0, 0, 0], [8.0, 1, -1]], dtype=np.float32)   # near the f^-1 knee
    in_gamut = rgb2lab(rng.random((200, 1, 3))).reshape(-1, 3).astype(np.float32)
    rest = n - len(fixed) - len(in_gamut)
    wild = np.stack([rng.uniform(-10, 110, rest), rng.uniform(-150, 150, rest), rng.uniform(-150, 150, rest)],
                    axis=-1).astype(np.float32)
    pixels = np.concatenate([fixed, in_gamut, wild]).astype(np.float32)
    return nchw(pixels.reshape(1, 30, 40, 3))


def main():
    rng = np.random.default_rng(20240519)
    rgb_in = rgb_inputs(rng)
    lab_out = nchw(rgb2lab(nhwc(rgb_in).astype(np.float64))).astype(np.float32)
    lab_in = lab_inputs(rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the out-of-gamut Z < 0 warning is expected
        rgb_out = nchw(lab2rgb(nhwc(lab_in).astype(np.float64))).astype(np.float32)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lab_skimage.safetensors")
    st.save(path, {"rgb_in": rgb_in, "lab_out": lab_out, "lab_in": lab_in, "rgb_out": rgb_out},
            metadata={"generator": "tests/golden/make_lab_golden.py", "skimage": skimage_version})
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
