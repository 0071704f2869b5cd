#!/usr/bin/env python3
"""ConvLab's GPU backend against PyTorch CUDA, ECNN forward, one table (scripts/bench-gpu).

Runs `convlab bench --backend gpu` (the times), `convlab bench --backend gpu --layers` (the
per-layer split, separately, so that its per-layer timer queries do not weigh on the times), and
tools/bench_pytorch.py on the same sizes with TF32 off (plain fp32, as ConvLab) and on. Prints
each side's median and best wall time per forward, the ratios ConvLab / PyTorch (lower is
better), ConvLab's slowest layers, and whether the goals hold: ConvLab <= 1.5x PyTorch fp32
(TF32 off) at 512, and the 1024x1024 forward under 8 ms.

    python3 tools/bench_gpu_report.py --convlab build-gpu/convlab/src/cli/convlab --sizes 256,512,1024
"""
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE_LINE = re.compile(r"^size=(\d+) median_ms=([0-9.]+) .*?min_ms=([0-9.]+)(.*)$")
LAYER_LINE = re.compile(r"^\s+layer=(\S+) median_ms=([0-9.]+)")
SOFTWARE = re.compile(r"llvmpipe|softpipe|swrast|swiftshader|software", re.IGNORECASE)
GOAL_RATIO, GOAL_RATIO_SIZE, GOAL_MS, GOAL_MS_SIZE = 1.5, 512, 8.0, 1024


def field(rest, name):
    m = re.search(name + r'=("([^"]*)"|\S+)', rest)
    return None if not m else (m.group(2) if m.group(2) is not None else m.group(1))


def run(command, what):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench-gpu: {what} failed (exit {done.returncode}): {' '.join(command)}\n{done.stderr.strip()}")
    return done


def parse(out):
    """{size: {"median", "best", "rest", "layers": [(name, ms)]}} from bench lines."""
    sizes, current = {}, None
    for line in out.splitlines():
        m = SIZE_LINE.match(line)
        if m:
            current = sizes[int(m.group(1))] = {"median": float(m.group(2)), "best": float(m.group(3)),
                                                "rest": m.group(4), "layers": []}
        elif current is not None and (m := LAYER_LINE.match(line)):
            current["layers"].append((m.group(1), float(m.group(2))))
    return sizes


def convlab(args):
    command = [args.convlab, "bench", "--backend", "gpu", "--size", args.sizes, "--runs", str(args.runs),
               "--warmup", str(args.warmup)]
    times = run(command, "convlab bench --backend gpu")
    if "running on the CPU instead" in times.stderr:
        sys.exit("bench-gpu: ConvLab's GPU backend did not open, so its figures would be the CPU's:\n"
                 + times.stderr.strip())
    results = parse(times.stdout)
    layers = parse(run(command + ["--layers"], "convlab bench --backend gpu --layers").stdout)
    for size, result in results.items():
        result["layers"] = layers.get(size, {}).get("layers", [])
    return results


def pytorch(args, tf32):
    command = [args.python, os.path.join(HERE, "bench_pytorch.py"), "--device", args.torch_device, "--sizes",
               args.sizes, "--runs", str(args.runs), "--warmup", str(args.warmup)]
    if args.torch_device == "cuda":
        command += ["--tf32", tf32]
    return parse(run(command, f"PyTorch ({args.torch_device}, TF32 {tf32})").stdout)


def cell(result):
    return f"{result['median']:.3f} ({result['best']:.3f})" if result else "-"


def ratio(ours, theirs):
    return f"{ours['median'] / theirs['median']:.2f}" if ours and theirs else "-"


def goals(ours, off):
    lines = []
    at = ours.get(GOAL_RATIO_SIZE)
    if at and off.get(GOAL_RATIO_SIZE):
        r = at["median"] / off[GOAL_RATIO_SIZE]["median"]
        verdict = "met" if r <= GOAL_RATIO else "NOT met"
        lines.append(f"  ConvLab <= {GOAL_RATIO}x PyTorch fp32 (TF32 off) at {GOAL_RATIO_SIZE}: {r:.2f}x, {verdict}")
    else:
        lines.append(f"  ConvLab <= {GOAL_RATIO}x PyTorch fp32 (TF32 off) at {GOAL_RATIO_SIZE}: not measured")
    at = ours.get(GOAL_MS_SIZE)
    if at:
        verdict = "met" if at["median"] < GOAL_MS else "NOT met"
        lines.append(f"  {GOAL_MS_SIZE}x{GOAL_MS_SIZE} forward under {GOAL_MS:g} ms: {at['median']:.3f} ms, {verdict}")
    else:
        lines.append(f"  {GOAL_MS_SIZE}x{GOAL_MS_SIZE} forward under {GOAL_MS:g} ms: not measured")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--convlab", required=True, help="the headless convlab binary")
    parser.add_argument("--sizes", default="256,512,1024")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--python", default=sys.executable, help="the Python with torch (default: this one)")
    parser.add_argument("--torch-device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--no-pytorch", action="store_true")
    parser.add_argument("--allow-software", action="store_true", help="accept a software GL renderer")
    parser.add_argument("--top", type=int, default=5, help="slowest layers listed per size (default 5)")
    args = parser.parse_args(argv)

    ours = convlab(args)
    if not ours:
        sys.exit("bench-gpu: convlab bench printed no size lines")
    renderer = field(next(iter(ours.values()))["rest"], "device") or "unknown"
    software = bool(SOFTWARE.search(renderer))
    if software and not args.allow_software:
        sys.exit(f"bench-gpu: ConvLab ran on '{renderer}', a software renderer, not a GPU (--allow-software)")
    off = on = {}
    if not args.no_pytorch:
        off = pytorch(args, "off")
        on = pytorch(args, "on") if args.torch_device == "cuda" else {}
    torch_device = field(next(iter(off.values()))["rest"], "device") if off else None

    label = "SOFTWARE renderer, not a GPU" if software else "GPU"
    print()
    print(f"ECNN advanced forward, batch 1, fp32: median (best) of {args.runs} runs after {args.warmup} warm-up, ms")
    print(f"ConvLab: OpenGL compute on {renderer} ({label}); wall time of a forward incl. upload and finish;"
          " gpu = GPU timer total")
    if args.no_pytorch:
        print("PyTorch: not run (--no-pytorch)")
    elif args.torch_device == "cpu":
        print("PyTorch: on the CPU (no CUDA here; --allow-software): not a GPU comparison; no TF32 column")
    else:
        print(f"PyTorch: CUDA on {torch_device}, cudnn.benchmark on; TF32 off = plain fp32, TF32 on = tensor cores")
    torch_off = "torch cpu" if args.torch_device == "cpu" else "torch tf32 off"
    print(f"{'size':>5}  {'convlab':>19} {'gpu':>9}  {torch_off:>19} {'ratio':>6}  {'torch tf32 on':>19} {'ratio':>6}")
    for size in sorted(ours):
        result = ours[size]
        gpu = field(result["rest"], "gpu_ms")
        gpu_text = f"{float(gpu):.3f}" if gpu else "-"
        print(f"{size:>5}  {cell(result):>19} {gpu_text:>9}  {cell(off.get(size)):>19} "
              f"{ratio(result, off.get(size)):>6}  {cell(on.get(size)):>19} {ratio(result, on.get(size)):>6}")
        layers = sorted(result["layers"], key=lambda item: -item[1])
        total = sum(ms for _, ms in layers)
        if total > 0:
            slow = ", ".join(f"{name} {ms:.3f} ({100 * ms / total:.0f}%)" for name, ms in layers[:args.top])
            print(f"{'':>7}slowest layers (ms, share of {total:.3f}): {slow}")
    print("ratio = ConvLab median / PyTorch median (lower is better)")
    print("Goals" + (" (software renderer: not GPU figures)" if software else "") + ":")
    for line in goals(ours, off):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
