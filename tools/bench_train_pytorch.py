import sys, time, importlib.util, statistics
import torch
spec = importlib.util.spec_from_file_location("ecnn", "/work/main/tools/ecnn_pytorch.py")
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
print(f"pytorch {arch} threads={threads} N={n} {size}x{size}: median {med*1000:.1f} ms/step, {n/med:.1f} img/s, all {[round(x*1000) for x in times]}")
