#!/usr/bin/python3
"""Golden data for training the classifier: train_step_tinyvgg.safetensors.

Run with Debian's python3 (python3-torch 1.13):  /usr/bin/python3 tests/golden/make_classifier_golden.py
A TinyVGG as src/core/model/classifier.h builds it (two blocks of conv3x3 p1 - ReLU - conv3x3 p1 - ReLU -
max pool 2x2 /2, flatten, linear), small: 3 input channels, 4 and 8 filters, 5 classes, 16x16 input,
a batch of 4. Random weights (stored, so the C++ test starts from the same ones), F.cross_entropy
(mean), torch.optim.Adam with its defaults; two steps:

    step 1: batch0 -> logits, loss, gradients, Adam step
    step 2: batch1 -> loss, Adam step -> weights

Stored tensors (F32; labels I64):
    init.<param>                          the starting weights (PyTorch's named_parameters names)
    batch<b>.image (4,3,16,16), batch<b>.label (4)                       b = 0, 1
    step1.logits (4,5), step<s>.loss (1), step1.grad.<param>, step2.<param>    s = 1, 2
The script recomputes the step-1 gradients in float64 and refuses to write unless the float32 ones
agree to 1e-4 of their largest magnitude (a max pool whose two largest inputs are within rounding of
each other would make the comparison meaningless).
"""
import importlib.util
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
CHANNELS, CLASSES, SIDE, BATCH = 4, 5, 16, 4


class TinyVGG(nn.Module):
    def __init__(self):
        super().__init__()
        c = CHANNELS
        self.conv1_1 = nn.Conv2d(3, c, 3, padding=1)
        self.conv1_2 = nn.Conv2d(c, c, 3, padding=1)
        self.conv2_1 = nn.Conv2d(c, 2 * c, 3, padding=1)
        self.conv2_2 = nn.Conv2d(2 * c, 2 * c, 3, padding=1)
        self.fc = nn.Linear(2 * c * (SIDE // 4) ** 2, CLASSES)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1_2(F.relu(self.conv1_1(x)))), 2)
        x = F.max_pool2d(F.relu(self.conv2_2(F.relu(self.conv2_1(x)))), 2)
        return self.fc(torch.flatten(x, 1))


def main():
    spec = importlib.util.spec_from_file_location("st", os.path.join(HERE, "st.py"))
    st = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(st)
    torch.manual_seed(3)
    rng = np.random.default_rng(11)
    model = TinyVGG().train()
    out = {f"init.{n}": p.detach().numpy().copy() for n, p in model.named_parameters()}
    batches = [(rng.uniform(-1, 1, (BATCH, 3, SIDE, SIDE)).astype(np.float32),
                rng.integers(0, CLASSES, BATCH).astype(np.int64)) for _ in range(2)]

    model64 = TinyVGG().double()
    model64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    loss64 = F.cross_entropy(model64(torch.from_numpy(batches[0][0]).double()), torch.from_numpy(batches[0][1]))
    loss64.backward()

    optimizer = torch.optim.Adam(model.parameters())
    for b, (image, label) in enumerate(batches):
        out[f"batch{b}.image"], out[f"batch{b}.label"] = image, label
        optimizer.zero_grad()
        logits = model(torch.from_numpy(image))
        loss = F.cross_entropy(logits, torch.from_numpy(label))
        loss.backward()
        if b == 0:
            out["step1.logits"] = logits.detach().numpy()
            for (name, p), (_, p64) in zip(model.named_parameters(), model64.named_parameters()):
                g, g64 = p.grad.numpy(), p64.grad.numpy()
                worst = np.abs(g - g64).max() / np.abs(g64).max()
                if worst > 1e-4:
                    raise SystemExit(f"{name}: float32 gradients are {worst:.1e} off float64's")
                out[f"step1.grad.{name}"] = g.copy()
        optimizer.step()
        out[f"step{b + 1}.loss"] = np.array([loss.item()], dtype=np.float32)
    for name, p in model.named_parameters():
        out[f"step2.{name}"] = p.detach().numpy().copy()
    path = os.path.join(HERE, "train_step_tinyvgg.safetensors")
    st.save(path, out, {"channels": CHANNELS, "classes": CLASSES, "side": SIDE})
    print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
