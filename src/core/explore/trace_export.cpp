#include "core/explore/trace_export.h"

#include <sstream>

#include "core/base/number_text.h"
#include "core/explore/step_text.h"

namespace convlab::explore {

std::string trace_to_csv(const ConvTrace& trace) {
  std::ostringstream out;
  out << "step,kind,out_channel,out_y,out_x,channel,ky,kx,padded_y,padded_x,on_padding,input,weight,product,"
         "running_sum,bias,result\n";
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    const ConvStep& step = trace.steps[i];
    const std::string cell = std::to_string(step.out_channel) + ',' + std::to_string(step.out_y) + ',' +
                             std::to_string(step.out_x);
    for (const ConvTap& tap : step.taps) {
      out << i << ",tap," << cell << ',' << tap.channel << ',' << tap.ky << ',' << tap.kx << ','
          << tap.padded_y << ',' << tap.padded_x << ',' << (tap.on_padding ? 1 : 0) << ','
          << format_value(tap.input) << ',' << format_value(tap.weight) << ',' << format_value(tap.product)
          << ',' << format_value(tap.running_sum) << ",,\n";
    }
    const float sum = step.taps.empty() ? 0.0f : step.taps.back().running_sum;
    out << i << ",output," << cell << ",,,,,,,,,," << format_value(sum) << ',' << format_value(step.bias)
        << ',' << format_value(step.result) << '\n';
  }
  return out.str();
}

// ---- max / average pooling -----------------------------------------------------

std::string pool_trace_to_csv(const PoolTrace& trace) {
  const bool max = trace.options.kind == PoolKind::Max;
  std::ostringstream out;
  out << "step,kind,channel,out_y,out_x,ky,kx,padded_y,padded_x,on_padding,counted,chosen,input,sum,count,"
         "result\n";
  for (size_t i = 0; i < trace.steps.size(); ++i) {
    const PoolStep& step = trace.steps[i];
    const std::string cell =
        std::to_string(step.channel) + ',' + std::to_string(step.out_y) + ',' + std::to_string(step.out_x);
    for (size_t t = 0; t < step.taps.size(); ++t) {
      const PoolTap& tap = step.taps[t];
      out << i << ",tap," << cell << ',' << tap.ky << ',' << tap.kx << ',' << tap.padded_y << ','
          << tap.padded_x << ',' << (tap.on_padding ? 1 : 0) << ','
          << (max           ? ""
              : tap.counted ? "1"
                            : "0")
          << ','
          << (!max                                 ? ""
              : static_cast<int>(t) == step.chosen ? "1"
                                                   : "0")
          << ',' << format_value(tap.input) << ",,,\n";
    }
    out << i << ",output," << cell << ",,,,,,,,," << (max ? "" : format_value(step.sum)) << ','
        << (max ? "" : std::to_string(step.count)) << ',' << format_value(step.result) << '\n';
  }
  return out.str();
}

// ---- conv_transpose2d ---------------------------------------------------------

std::string tconv_trace_to_csv(const TconvTrace& trace, const Tensor& weight, const Tensor* bias) {
  const ConvTranspose2dParams& p = trace.params;
  const int out_h = static_cast<int>(trace.output_shape[2]), out_w = static_cast<int>(trace.output_shape[3]);
  std::ostringstream out;
  out << "intermediate,kind,out_channel,channel,in_y,in_x,input,ky,kx,full_y,full_x,weight,product,cell_sum,"
         "out_y,out_x,bias,result\n";
  // The sums so far, rebuilt in the trace's order (the op's), so the last
  // value of each cell is the trace's full_sum.
  Tensor sums(trace.full_sum.shape());
  for (size_t i = 0; i < trace.intermediates.size(); ++i) {
    const TconvIntermediate& m = trace.intermediates[i];
    for (int ky = 0; ky < weight.h(); ++ky)
      for (int kx = 0; kx < weight.w(); ++kx) {
        const int fy = m.origin_y + ky * p.dilation_h, fx = m.origin_x + kx * p.dilation_w;
        const float product = m.contribution[int64_t{fy} * trace.full.w + fx];
        float& sum = sums.at(m.batch, m.out_channel, fy, fx);
        sum += product;
        const int oy = fy - trace.crop_top, ox = fx - trace.crop_left;
        const bool kept = oy >= 0 && oy < out_h && ox >= 0 && ox < out_w;
        out << i << ",tap," << m.out_channel << ',' << m.channel << ',' << m.in_y << ',' << m.in_x << ','
            << format_value(m.value) << ',' << ky << ',' << kx << ',' << fy << ',' << fx << ','
            << format_value(weight.at(m.channel, m.out_channel, ky, kx)) << ',' << format_value(product)
            << ',' << format_value(sum) << ',' << (kept ? std::to_string(oy) : "") << ','
            << (kept ? std::to_string(ox) : "") << ",,\n";
      }
  }
  for (int64_t n = 0; n < trace.output_shape[0]; ++n)
    for (int o = 0; o < trace.output_shape[1]; ++o)
      for (int y = 0; y < out_h; ++y)
        for (int x = 0; x < out_w; ++x) {
          const int fy = y + trace.crop_top, fx = x + trace.crop_left;
          out << ",output," << o << ",,,,,,," << fy << ',' << fx << ",,,"
              << format_value(trace.full_sum.at(n, o, fy, fx)) << ',' << y << ',' << x << ','
              << format_value(bias ? (*bias)[o] : 0.0f) << ',' << format_value(trace.output.at(n, o, y, x))
              << '\n';
        }
  return out.str();
}

// ---- batch norm -------------------------------------------------------------------

std::string batch_norm_trace_to_csv(const BatchNormTrace& trace, const Tensor& input) {
  std::ostringstream out;
  out << "kind,channel,n,y,x,input,normalized,output,count,mean,biased_var,unbiased_var,used_mean,used_var,"
         "inv_std,gamma,beta,running_mean_before,running_var_before,running_mean_after,running_var_after\n";
  for (const BatchNormChannelTrace& ch : trace.channels) {
    out << "channel," << ch.channel << ",,,,,,," << ch.count << ',' << format_value(ch.mean) << ','
        << format_value(ch.biased_var) << ',' << format_value(ch.unbiased_var) << ','
        << format_value(ch.used_mean) << ',' << format_value(ch.used_var) << ',' << format_value(ch.inv_std)
        << ',' << format_value(ch.gamma) << ',' << format_value(ch.beta) << ','
        << format_value(ch.running_mean_before) << ',' << format_value(ch.running_var_before) << ','
        << format_value(ch.running_mean_after) << ',' << format_value(ch.running_var_after) << '\n';
    for (int64_t n = 0; n < input.n(); ++n)
      for (int64_t y = 0; y < input.h(); ++y)
        for (int64_t x = 0; x < input.w(); ++x)
          out << "value," << ch.channel << ',' << n << ',' << y << ',' << x << ','
              << format_value(input.at(n, ch.channel, y, x)) << ','
              << format_value(trace.normalized.at(n, ch.channel, y, x)) << ','
              << format_value(trace.output.at(n, ch.channel, y, x)) << ",,,,,,,,,,,,,\n";
  }
  return out.str();
}

}  // namespace convlab::explore
