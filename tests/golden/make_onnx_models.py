#!/usr/bin/python3
"""Writes the small ONNX models the tests open (tests/data/onnx/), exported by
PyTorch from fixed random weights.

Run with Debian's interpreter (python3-torch):
    /usr/bin/python3 tests/golden/make_onnx_models.py
  tiny_vgg.onnx   conv-relu-conv-relu-maxpool, flatten, linear (16x16 RGB in, 7 classes)
  features.onnx   stride, dilation, depthwise (groups), batch norm, transposed conv with
                  output_padding, concat, average pool (ceil_mode), opset 11
"""
import os

import torch
from torch import nn

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "onnx")


class TinyVgg(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1),
                                   nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(8 * 8 * 8, 7))

    def forward(self, x):
        return self.head(self.block(x))


class Features(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(3, 6, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(6)
        self.depthwise = nn.Conv2d(6, 6, 3, padding=2, dilation=2, groups=6)
        self.up = nn.ConvTranspose2d(6, 4, 3, stride=2, padding=1, output_padding=1)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True)

    def forward(self, x):
        y = torch.relu(self.bn(self.down(x)))
        y = self.up(self.depthwise(y))
        return self.pool(torch.cat([y, x[:, :1]], dim=1))


def export(model, name, shape, opset):
    torch.manual_seed(0)
    for p in model.parameters():
        nn.init.normal_(p, std=0.1)
    model.eval()
    path = os.path.join(OUT_DIR, name)
    torch.onnx.export(model, torch.zeros(shape), path, opset_version=opset, input_names=["image"],
                      output_names=["output"], do_constant_folding=False)
    print(f"{name}: {os.path.getsize(path)} bytes")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    export(TinyVgg(), "tiny_vgg.onnx", (1, 3, 16, 16), 17)
    export(Features(), "features.onnx", (1, 3, 16, 16), 11)


if __name__ == "__main__":
    main()
