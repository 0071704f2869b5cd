#!/usr/bin/env python3
"""PyTorch's training speed for ECNN, to compare with `convlab bench --train`:
    python3 tools/bench_train_pytorch.py THREADS BATCH SIZE STEPS ARCH   (default 2 32 128 5 advanced)
Random weights and data; Adam; the median of the steps after 3 untimed warm-up steps."""
import sys, time, importlib.util, statistics
import torch
import os
spec = importlib.util.spec_from_file_location("ecnn", os.path.join(os.path.dirname(os.path.abspath(__file__)), "ecnn_pytorch.py"))
ecnn = importlib.util.module_from_spec(spec); spec.loader.exec_module(ecnn)
threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
n = int(sys.argv[2]) if len(sys.argv) > 2 else 32
size = int(sys.argv[3]) if len(sys.argv) > 3 else 128
steps = int(sys.argv[4]) if len(sys.argv) > 4 else 5
arch = sys.argv[5] if len(sys.argv) > 5 else "advanced"
torch.set_num_threads(threads)
torch.manual_seed(0)
m = ecnn.build(arch); ecnn.load_random(m, 7); m.train()
opt = torch.optim.Adam(m.parameters())
gray = torch.rand(n, 1, size, size) * 100
cat = torch.randint(0, 8, (n,))
ab = torch.randn(n, 2, size, size) * 20
times = []
for i in range(steps + 3):
    t = time.perf_counter()
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(m(gray, cat), ab)
    loss.backward()
    opt.step()
    times.append(time.perf_counter() - t)
WARM = 3
med = statistics.median(times[WARM:])
# The same fields as `convlab bench --train`, so the lines compare directly.
print(f"pytorch train size={size} batch={n} median_ms={med*1000:.1f} images_per_s={n/med:.2f} runs={steps} "
      f"threads={threads} arch={arch}")
