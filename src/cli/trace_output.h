// Printing traces (core/ops/trace.h): readable tables for people
// (trace_text.cpp) and JSON with every field for tools (trace_json.cpp).
// Neither computes anything: they show what the trace recorded.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/cli_common.h"
#include "core/ops/trace.h"

namespace convlab::cli {

// The tensors a trace was made from (shown alongside it).
struct TraceInputs {
  const Tensor* input = nullptr;
  const Tensor* weight = nullptr;        // conv/tconv kernel, bn gamma
  const Tensor* bias = nullptr;          // may be null; bn beta
  const Tensor* running_mean = nullptr;  // bn only
  const Tensor* running_var = nullptr;   // bn only
};

// `range` picks which steps print: conv output cells, tconv intermediates,
// bn channels.
void print_conv_text(std::ostream& out, const ConvTrace& trace, const TraceInputs& inputs, StepRange range);
void print_tconv_text(std::ostream& out, const TconvTrace& trace, const TraceInputs& inputs, StepRange range);
void print_bn_text(std::ostream& out, const BatchNormTrace& trace, const TraceInputs& inputs,
                   StepRange range);

nlohmann::json conv_json(const ConvTrace& trace, const TraceInputs& inputs, StepRange range);
nlohmann::json tconv_json(const TconvTrace& trace, const TraceInputs& inputs, StepRange range);
nlohmann::json bn_json(const BatchNormTrace& trace, const TraceInputs& inputs, StepRange range);

}  // namespace convlab::cli
