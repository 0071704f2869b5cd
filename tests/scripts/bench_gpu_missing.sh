#!/usr/bin/env bash
# ctest "bench_gpu: missing tools": on a machine that lacks the compilers,
# CMake, a build tool or PyTorch, scripts/bench-gpu lists each, with the Debian
# package (or pip package) that has it, and exits 1 before building anything.
# The machine is faked: PATH holds only the basic tools the script itself uses,
# plus stand-ins for an old cmake and Pythons with and without torch or CUDA.
#   tests/scripts/bench_gpu_missing.sh SOURCE_DIR WORK_DIR
set -euo pipefail
# shellcheck source=tests/scripts/expect.sh
source "$(dirname "$0")/expect.sh"
script="$1/scripts/bench-gpu"
work="$2"
rm -rf "$work"
mkdir -p "$work/bin" "$work/old-cmake" "$work/no-torch" "$work/no-cuda"
for tool in bash dirname mkdir rm ln find sort head awk grep cat wc; do
  ln -s "$(command -v "$tool")" "$work/bin/$tool"
done
printf '#!/bin/sh\necho "cmake version 3.22.1"\n' >"$work/old-cmake/cmake"
printf '#!/bin/sh\necho "ModuleNotFoundError: No module named torch" >&2\nexit 1\n' >"$work/no-torch/python3"
printf '#!/bin/sh\necho "2.1.0 False"\n' >"$work/no-cuda/python3"
chmod +x "$work"/*/cmake "$work"/*/python3
bare=(env -u CC -u CXX -u LD_LIBRARY_PATH -u __EGL_VENDOR_LIBRARY_FILENAMES)

run() { "${bare[@]}" PATH="$1" "$script" --build-dir "$work/build" "${@:2}"; }
expect_line "header line" 1 "bench-gpu: cannot build and run; missing:" run "$work/bin:$work/no-torch"
# The lines name $CC and $CXX literally.
# shellcheck disable=SC2016
expect_in "no C compiler" '  - C compiler: no $CC, cc, gcc or clang on PATH (Debian package gcc)'
# shellcheck disable=SC2016
expect_in "no C++ compiler" '  - C++ compiler: no $CXX, c++, g++ or clang++ on PATH (Debian package g++; C++20: GCC 10 or Clang 13 and newer)'
expect_in "no cmake" "  - cmake 3.25 or newer: not on PATH (Debian package cmake; or: pip install 'cmake>=3.25')"
expect_in "no ninja or make" "  - build tool: neither ninja nor make on PATH (Debian package ninja-build or make; or: pip install ninja)"
expect_in "no torch" "  - PyTorch: python3 cannot import torch (pip install torch, a CUDA build; Debian's python3-torch is CPU-only; or --no-pytorch)"
expect_in "how to carry packages" "Debian packages can be carried: on a Debian 12 machine run 'scripts/bench-gpu --download-debs DIR',"

expect_line "old cmake" 1 "  - cmake 3.25 or newer: $work/old-cmake/cmake is 3.22.1 (Debian 12's cmake; or: pip install 'cmake>=3.25')" \
  run "$work/bin:$work/old-cmake:$work/no-torch"
expect_line "no python" 1 "  - Python 3: python3 not on PATH (Debian package python3), for the report and PyTorch" run "$work/bin"
expect_line "torch without CUDA" 1 "  - PyTorch with CUDA: torch 2.1.0 in python3 says torch.cuda.is_available() is False (a CUDA build of torch and the NVIDIA driver; or --no-pytorch, or --allow-software for PyTorch on the CPU)" \
  run "$work/bin:$work/no-cuda"
expect_line "--no-pytorch: torch not asked for" 1 "bench-gpu: cannot build and run; missing:" run "$work/bin:$work/no-torch" --no-pytorch
if grep -q "PyTorch" <<<"$EXPECT_OUTPUT"; then
  echo "FAIL --no-pytorch still reported PyTorch"
  EXPECT_FAILURES=$((EXPECT_FAILURES + 1))
fi
if [ -e "$work/build/convlab" ]; then
  echo "FAIL something was configured although tools were missing"
  EXPECT_FAILURES=$((EXPECT_FAILURES + 1))
fi
expect_done
