// Printing traces (core/ops/trace.h) as readable tables for people; the
// JSON for tools is core/explore/trace_json.h. They compute nothing: they
// show what the trace recorded.
#pragma once

#include <ostream>

#include "cli/cli_common.h"
#include "core/ops/pool.h"
#include "core/ops/trace.h"

namespace convlab::cli {

using explore::TraceInputs;  // the tensors a trace was made from, shown alongside it

// `range` picks which steps print: conv output cells, tconv intermediates,
// bn channels.
void print_conv_text(std::ostream& out, const ConvTrace& trace, const TraceInputs& inputs, StepRange range);
void print_tconv_text(std::ostream& out, const TconvTrace& trace, const TraceInputs& inputs, StepRange range);
void print_pool_text(std::ostream& out, const PoolTrace& trace, StepRange range);
void print_bn_text(std::ostream& out, const BatchNormTrace& trace, const TraceInputs& inputs,
                   StepRange range);

}  // namespace convlab::cli
