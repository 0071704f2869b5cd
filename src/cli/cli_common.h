// Helpers every subcommand shares: exit codes, error reporting, parsing of
// the small value syntaxes the CLI accepts ("5x5", "2,1", "0:10", value
// lists) and number formatting. Errors are convlab::Error values whose
// message names the setting, says what is wrong and what would be valid.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/base/result.h"
#include "core/explore/trace_json.h"

namespace convlab::cli {

// Usage errors (bad flags or settings) exit 2, runtime failures (missing or
// corrupt files, failed writes) exit 1: scripts can tell them apart.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;
inline constexpr int kExitUsage = 2;

// One subcommand: its CLI11 app and what runs when it was chosen.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Print "convlab COMMAND: error: MESSAGE" on stderr and return the exit code.
int usage_error(std::string_view command, const std::string& message);
int runtime_error(std::string_view command, const std::string& message);
void warn(std::string_view command, const std::string& message);

// A whole number; `setting` names the flag in errors ("--seed").
Result<int64_t> parse_int(std::string_view text, std::string_view setting);
Result<float> parse_float(std::string_view text, std::string_view setting);
// Comma-separated numbers: "1,2.5,-3".
Result<std::vector<float>> parse_float_list(std::string_view text, std::string_view setting);
Result<std::vector<int>> parse_int_list(std::string_view text, std::string_view setting);

// "HxW" or a single "N" meaning NxN (",", "x" and "X" all separate).
Result<Size2d> parse_size(std::string_view text, std::string_view setting);
// "N" (both axes) or "H,W": stride, dilation, output padding.
Result<Size2d> parse_pair(std::string_view text, std::string_view setting);

// Half-open range of step indices "A:B" (either side may be empty: "5:",
// ":10"), or a single index "A".
using explore::StepRange;  // core/explore/trace_json.h
Result<StepRange> parse_steps(std::string_view text, std::string_view setting);

// Compact number for tables: up to 6 significant digits, "3" not "3.000000".
std::string fmt(double value);
// Right-aligns `text` in `width` columns.
std::string pad_left(const std::string& text, size_t width);

// The directory holding the running executable (empty if unknown).
std::string executable_dir();

}  // namespace convlab::cli
