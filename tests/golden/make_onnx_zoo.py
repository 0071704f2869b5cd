#!/usr/bin/python3
"""Writes the ONNX model zoo that `convlab model test` checks (issue 20): networks
exported by PyTorch (torch.onnx.export) from fixed random weights, each at opsets 11
and 17, laid out as ONNX's own backend test cases:

    tests/data/onnx/zoo/<name>_opset<N>/model.onnx
    tests/data/onnx/zoo/<name>_opset<N>/test_data_set_0/input_0.pb   (TensorProto "input")
    tests/data/onnx/zoo/<name>_opset<N>/test_data_set_0/output_0.pb  (TensorProto "output")

The output is PyTorch's, in eval mode, float32, for a fixed random input.

Run with Debian's interpreter (python3-torch; the `onnx` package is not needed, the
.pb files are written by a small protobuf encoder below):
    /usr/bin/python3 tests/golden/make_onnx_zoo.py

The networks (all written out here, no torchvision):
  tinyvgg           CNN Explainer's TinyVGG: two blocks of conv3x3-ReLU-conv3x3-ReLU-maxpool2
                    (10 channels), Flatten, Linear to 7 classes, Softmax; 1x3x64x64 in
  resnet18          ResNet-18 from He et al. 2015 at base width 8 (8,16,32,64 channels):
                    7x7/2 conv, BN, ReLU, 3x3/2 maxpool, 4 stages of 2 BasicBlocks with a
                    1x1/2 conv+BN shortcut where the shape changes, residual Add, global
                    average pool, flatten, Linear to 10; 1x3x64x64 in. Exported with
                    training=TrainingMode.PRESERVE (model in eval mode) so that the
                    BatchNormalization nodes stay in the graph; the default (EVAL) folds
                    them into the convolutions, as it does for mobilenet_block
  mobilenet_block   MobileNetV2-style inverted residuals: 1x1 expand+BN+ReLU6, depthwise
                    3x3 (stride 2)+BN+ReLU6, 1x1 project+BN; then the stride-1 variant with a
                    residual Add; 1x8x32x32 in
  unet              U-Net, 2 levels (4-8-16 channels): conv-ReLU x2 and maxpool down,
                    bottleneck, ConvTranspose2d(k2,s2) and Concat skips up, 1x1 conv out;
                    1x1x32x32 in
  upsample_decoder  conv, LeakyReLU(0.1), nearest Upsample x2, conv, PReLU, Dropout, bilinear
                    Upsample x2 (align_corners=False), conv, Sigmoid; 1x8x8x8 in
  lenet5            LeNet-5: conv5x5(1->6) Tanh AvgPool2 conv5x5(6->16) Tanh AvgPool2, flatten,
                    Linear 400->120 Tanh ->84 Tanh ->10; 1x1x32x32 in
  tinyvgg_dynamic   (opset 17 only) TinyVGG with x.view(x.size(0), -1) and a free batch
                    dimension (dynamic_axes), checked on a batch of 2
"""
import os
import shutil
import struct
import warnings

import numpy as np
import torch
from torch import nn

ZOO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "onnx", "zoo")
OPSETS = (11, 17)


# ---------------------------------------------------------------- the networks

class TinyVgg(nn.Module):
    def __init__(self, flatten_with_view=False):
        super().__init__()
        c = 10

        def block(cin):
            return nn.Sequential(nn.Conv2d(cin, c, 3, padding=1), nn.ReLU(), nn.Conv2d(c, c, 3, padding=1),
                                 nn.ReLU(), nn.MaxPool2d(2))
        self.features = nn.Sequential(block(3), block(c))
        self.flatten_with_view = flatten_with_view
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(c * 16 * 16, 7)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = self.features(x)
        x = x.view(x.size(0), -1) if self.flatten_with_view else self.flatten(x)
        return self.softmax(self.classifier(x))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU()
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                            nn.BatchNorm2d(cout))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + identity)


class ResNet18(nn.Module):
    def __init__(self, width=8, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(width),
                                  nn.ReLU(), nn.MaxPool2d(3, stride=2, padding=1))
        layers, cin = [], width
        for i, cout in enumerate((width, 2 * width, 4 * width, 8 * width)):
            stride = 1 if i == 0 else 2
            layers += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
            cin = cout
        self.layers = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.pool(self.layers(self.stem(x)))
        return self.fc(torch.flatten(x, 1))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand=4):
        super().__init__()
        hidden = cin * expand
        self.body = nn.Sequential(
            nn.Conv2d(cin, hidden, 1, bias=False), nn.BatchNorm2d(hidden), nn.ReLU6(),
            nn.Conv2d(hidden, hidden, 3, stride=stride, padding=1, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden), nn.ReLU6(),
            nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class MobileNetBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.down = InvertedResidual(8, 16, stride=2)
        self.same = InvertedResidual(16, 16, stride=1)

    def forward(self, x):
        return self.same(self.down(x))


def double_conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU())


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1 = double_conv(1, 4)
        self.down2 = double_conv(4, 8)
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = double_conv(8, 16)
        self.up2 = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.dec2 = double_conv(16, 8)
        self.up1 = nn.ConvTranspose2d(8, 4, 2, stride=2)
        self.dec1 = double_conv(8, 4)
        self.out = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        s1 = self.down1(x)                     # 4 x 32 x 32
        s2 = self.down2(self.pool(s1))         # 8 x 16 x 16
        b = self.bottleneck(self.pool(s2))     # 16 x 8 x 8
        y = self.dec2(torch.cat([self.up2(b), s2], dim=1))
        y = self.dec1(torch.cat([self.up1(y), s1], dim=1))
        return self.out(y)


class UpsampleDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding=1), nn.LeakyReLU(0.1),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(8, 6, 3, padding=1), nn.PReLU(6), nn.Dropout(0.5),
            nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False),
            nn.Conv2d(6, 3, 3, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(),
                                        nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


# (name, constructor, input shape, input range, keep BatchNormalization nodes)
NETWORKS = [
    ("tinyvgg", TinyVgg, (1, 3, 64, 64), (0.0, 1.0), False),
    ("resnet18", ResNet18, (1, 3, 64, 64), (0.0, 1.0), True),
    ("mobilenet_block", MobileNetBlock, (1, 8, 32, 32), (-1.0, 1.0), False),
    ("unet", UNet, (1, 1, 32, 32), (0.0, 1.0), False),
    ("upsample_decoder", UpsampleDecoder, (1, 8, 8, 8), (-1.0, 1.0), False),
    ("lenet5", LeNet5, (1, 1, 32, 32), (0.0, 1.0), False),
]


def build(constructor, seed):
    """The model with fixed random weights, in eval mode; batch norms get random
    running statistics and affine parameters so that they matter."""
    torch.manual_seed(seed)
    model = constructor()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.3, 0.3)
            elif isinstance(m, nn.PReLU):
                m.weight.uniform_(0.05, 0.4)
    return model.eval()


def make_input(shape, lo_hi, seed):
    g = torch.Generator().manual_seed(seed)
    lo, hi = lo_hi
    return torch.rand(shape, generator=g) * (hi - lo) + lo


# ---------------------------------------------------------------- protobuf, by hand

def varint(n):
    if n < 0:
        n += 1 << 64  # int64 as two's complement, 10 bytes
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire):
    return varint((field << 3) | wire)


def tensor_proto(name, array):
    """onnx.TensorProto (proto2): dims = 1 (repeated int64, unpacked), data_type = 2
    (FLOAT = 1), name = 8, raw_data = 9 (little-endian float32)."""
    array = np.ascontiguousarray(array, dtype="<f4")
    out = bytearray()
    for d in array.shape:
        out += key(1, 0) + varint(int(d))
    out += key(2, 0) + varint(1)
    name_bytes = name.encode()
    out += key(8, 2) + varint(len(name_bytes)) + name_bytes
    raw = array.tobytes()
    out += key(9, 2) + varint(len(raw)) + raw
    return bytes(out)


def read_varint(buf, pos):
    n = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, pos


def fields(buf):
    """Yields (field, wire, value) of one message; value is an int for varints and
    a bytes slice for length-delimited fields."""
    pos = 0
    while pos < len(buf):
        k, pos = read_varint(buf, pos)
        field, wire = k >> 3, k & 7
        if wire == 0:
            value, pos = read_varint(buf, pos)
        elif wire == 2:
            n, pos = read_varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield field, wire, value


def read_tensor_proto(buf):
    dims, data_type, name, raw = [], None, None, None
    for field, wire, value in fields(buf):
        if field == 1:
            if wire == 0:
                dims.append(value if value < 1 << 63 else value - (1 << 64))
            else:  # packed
                p = 0
                while p < len(value):
                    v, p = read_varint(value, p)
                    dims.append(v)
        elif field == 2:
            data_type = value
        elif field == 8:
            name = bytes(value).decode()
        elif field == 9:
            raw = bytes(value)
    assert data_type == 1, data_type
    return name, np.frombuffer(raw, dtype="<f4").reshape(dims)


def graph_summary(model_bytes):
    """Op types of the nodes (ModelProto 7 = graph, GraphProto 1 = node,
    NodeProto 4 = op_type), the graph's inputs (GraphProto 11) and outputs (12) by
    name (ValueInfoProto 1), and the opset (ModelProto 8 = opset_import,
    OperatorSetIdProto 2 = version)."""
    ops, inputs, outputs, opset = [], [], [], None
    for field, _, value in fields(model_bytes):
        if field == 8:
            for f, _, v in fields(value):
                if f == 2:
                    opset = v
        if field != 7:
            continue
        for gfield, _, gvalue in fields(value):
            if gfield == 1:
                for nfield, _, nvalue in fields(gvalue):
                    if nfield == 4:
                        ops.append(bytes(nvalue).decode())
            elif gfield in (11, 12):
                name = next(bytes(v).decode() for f, _, v in fields(gvalue) if f == 1)
                (inputs if gfield == 11 else outputs).append(name)
    return ops, inputs, outputs, opset


# ---------------------------------------------------------------- the cases

def write_case(case, model, x, opset, dynamic=False, keep_bn=False):
    case_dir = os.path.join(ZOO_DIR, case)
    shutil.rmtree(case_dir, ignore_errors=True)
    data_dir = os.path.join(case_dir, "test_data_set_0")
    os.makedirs(data_dir)
    model_path = os.path.join(case_dir, "model.onnx")
    extra = {"dynamic_axes": {"input": {0: "batch"}, "output": {0: "batch"}}} if dynamic else {}
    if keep_bn:
        # TrainingMode.EVAL (the default) runs the eval peephole pass, which folds each
        # BatchNorm into the Conv before it; PRESERVE with the model in eval mode skips
        # that pass and writes inference-mode BatchNormalization nodes instead.
        extra["training"] = torch.onnx.TrainingMode.PRESERVE
    torch.onnx.export(model, x, model_path, opset_version=opset, input_names=["input"], output_names=["output"],
                      do_constant_folding=True, **extra)
    with torch.no_grad():
        y = model(x)
    for fname, name, t in (("input_0.pb", "input", x), ("output_0.pb", "output", y)):
        path = os.path.join(data_dir, fname)
        with open(path, "wb") as f:
            f.write(tensor_proto(name, t.numpy()))
        # the encoder, checked by decoding the file back
        with open(path, "rb") as f:
            got_name, got = read_tensor_proto(f.read())
        assert got_name == name and got.shape == tuple(t.shape) and np.array_equal(got, t.numpy()), path

    with open(model_path, "rb") as f:
        ops, inputs, outputs, got_opset = graph_summary(f.read())
    assert inputs == ["input"] and outputs == ["output"], (inputs, outputs)
    assert got_opset == opset, got_opset
    kinds = sorted(set(ops))
    print(f"{case}: {len(ops)} nodes, in {tuple(x.shape)} out {tuple(y.shape)}, "
          f"max|y| {float(y.abs().max()):.4g}, model {os.path.getsize(model_path)} bytes")
    print("    " + " ".join(f"{k}x{ops.count(k)}" for k in kinds))


def main():
    # the exporter's notes on shape inference of constants and on constant folding
    # with TrainingMode.PRESERVE (harmless here: the model is in eval mode)
    warnings.filterwarnings("ignore", category=UserWarning)
    os.makedirs(ZOO_DIR, exist_ok=True)
    for seed, (name, constructor, shape, lo_hi, keep_bn) in enumerate(NETWORKS):
        model = build(constructor, seed)
        x = make_input(shape, lo_hi, 100 + seed)
        for opset in OPSETS:
            write_case(f"{name}_opset{opset}", model, x, opset, keep_bn=keep_bn)
    model = build(lambda: TinyVgg(flatten_with_view=True), 0)
    x = make_input((2, 3, 64, 64), (0.0, 1.0), 200)
    write_case("tinyvgg_dynamic_opset17", model, x, 17, dynamic=True)


if __name__ == "__main__":
    main()
