#include "core/model/layer_slice.h"

#include <algorithm>
#include <sstream>

#include "core/base/i18n.h"
namespace convlab {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Output cells of a conv whose field stays inside the crop (or reaches only
// the layer's real top/left padding): there the crop computes what the
// full layer computes. For one axis: cell o reads input rows
// o*s - pad .. o*s - pad + d*(k-1); inside the crop means < crop, or the
// crop is the whole axis.
int exact_conv_cells(int out, int crop, int full, int stride, int pad, int dilation, int kernel) {
  if (crop >= full) return out;
  int cells = 0;
  while (cells < out && cells * stride - pad + dilation * (kernel - 1) < crop) ++cells;
  return cells;
}

// Transposed: output cell o gathers input i where o + pad = i*s + d*k_tap;
// every i <= (o + pad) / s must lie in the crop.
int exact_tconv_cells(int out, int crop, int full, int stride, int pad) {
  if (crop >= full) return out;
  int cells = 0;
  while (cells < out && (cells + pad) / stride < crop) ++cells;
  return cells;
}

}  // namespace

std::vector<std::string> conv_layer_names(const Graph& graph, bool transposed) {
  std::vector<std::string> names;
  const OpKind kind = transposed ? OpKind::ConvTranspose2d : OpKind::Conv2d;
  for (const GraphNode& node : graph.nodes())
    if (node.op == kind) names.push_back(node.name);
  return names;
}

std::string LayerSlice::describe() const {
  std::ostringstream out;
  out << layer << " filter " << filter + 1 << ", ";
  if (channel == kAllChannels)
    out << "all " << layer_in_channels << " input channels";
  else
    out << "input channel " << channel + 1 << " of " << layer_in_channels;
  out << " (" << input_name << "), " << crop_h << "×" << crop_w << " crop of " << full_input[2] << "×"
      << full_input[3];
  return out.str();
}

Result<LayerSlice> slice_layer(const Model& model, const Activations& activations, const std::string& layer,
                               int filter, int channel, int max_side, int max_channels) {
  const GraphNode* node = model.graph.find(layer);
  if (node == nullptr || (node->op != OpKind::Conv2d && node->op != OpKind::ConvTranspose2d)) {
    std::vector<std::string> names = conv_layer_names(model.graph, false);
    for (const std::string& n : conv_layer_names(model.graph, true)) names.push_back(n);
    return Error{format(tr("'%s' is not a convolution of %s; its convolutions are %s"), layer.c_str(),
                        model.graph.name().c_str(), join(names).c_str())};
  }
  LayerSlice slice;
  slice.layer = layer;
  slice.transposed = node->op == OpKind::ConvTranspose2d;
  slice.input_name = node->inputs.at(0);
  slice.layer_in_channels = node->in_channels;
  if (filter < 0 || filter >= node->out_channels)
    return Error{format(tr("%s has filters 1 to %d; filter %d does not exist"), layer.c_str(),
                        node->out_channels, filter + 1)};
  if (channel != kAllChannels && (channel < 0 || channel >= node->in_channels))
    return Error{format(tr("%s has input channels 1 to %d; channel %d does not exist"), layer.c_str(),
                        node->in_channels, channel + 1)};
  if (channel == kAllChannels && node->in_channels > max_channels)
    return Error{
        format(tr("%s sums %d input channels, more than the %d this panel can draw; pick one channel (1 to "
                  "%d)"),
               layer.c_str(), node->in_channels, max_channels, node->in_channels)};
  const auto in_it = activations.values.find(slice.input_name);
  const auto out_it = activations.values.find(layer);
  if (in_it == activations.values.end() || out_it == activations.values.end())
    return make_error("the run kept no activation for ", layer, " (run the model with every layer kept)");
  const Tensor& input = in_it->second;
  const Tensor& output = out_it->second;
  slice.filter = filter;
  slice.channel = channel;
  slice.full_input = input.shape();
  slice.full_output = output.shape();
  slice.kernel_h = slice.kernel_w = node->kernel;
  slice.conv = node->conv;
  slice.tconv = node->tconv;
  slice.crop_h = static_cast<int>(std::min<int64_t>(input.h(), max_side));
  slice.crop_w = static_cast<int>(std::min<int64_t>(input.w(), max_side));
  slice.channels_shown = channel == kAllChannels ? node->in_channels : 1;
  const int first = channel == kAllChannels ? 0 : channel;

  for (int c = first; c < first + slice.channels_shown; ++c)
    for (int y = 0; y < slice.crop_h; ++y)
      for (int x = 0; x < slice.crop_w; ++x) slice.input.push_back(input.at(0, c, y, x));
  const Tensor& w = model.weight(node->weights + ".weight");  // conv (O,C,K,K); transposed (C,O,K,K)
  for (int c = first; c < first + slice.channels_shown; ++c)
    for (int ky = 0; ky < node->kernel; ++ky)
      for (int kx = 0; kx < node->kernel; ++kx)
        slice.weight.push_back(slice.transposed ? w.at(c, filter, ky, kx) : w.at(filter, c, ky, kx));
  slice.layer_bias = model.weight(node->weights + ".bias")[filter];

  // The slice's own output size, and the real cells it corresponds to.
  if (slice.transposed) {
    const auto& p = slice.tconv;
    const int oh = (slice.crop_h - 1) * p.stride_h - 2 * p.padding_h + p.dilation_h * (node->kernel - 1) +
                   p.output_padding_h + 1;
    const int ow = (slice.crop_w - 1) * p.stride_w - 2 * p.padding_w + p.dilation_w * (node->kernel - 1) +
                   p.output_padding_w + 1;
    slice.out_h = std::clamp<int>(oh, 0, static_cast<int>(output.h()));
    slice.out_w = std::clamp<int>(ow, 0, static_cast<int>(output.w()));
    slice.exact_rows =
        exact_tconv_cells(slice.out_h, slice.crop_h, static_cast<int>(input.h()), p.stride_h, p.padding_h);
    slice.exact_cols =
        exact_tconv_cells(slice.out_w, slice.crop_w, static_cast<int>(input.w()), p.stride_w, p.padding_w);
  } else {
    const auto& p = slice.conv;
    auto out = conv2d_output_size(Size2d{slice.crop_h, slice.crop_w}, Size2d{node->kernel, node->kernel}, p);
    if (!out) return with_context(layer + ": ", out.error());
    slice.out_h = std::min<int>(out->h, static_cast<int>(output.h()));
    slice.out_w = std::min<int>(out->w, static_cast<int>(output.w()));
    slice.exact_rows = exact_conv_cells(slice.out_h, slice.crop_h, static_cast<int>(input.h()), p.stride_h,
                                        p.padding.top, p.dilation_h, node->kernel);
    slice.exact_cols = exact_conv_cells(slice.out_w, slice.crop_w, static_cast<int>(input.w()), p.stride_w,
                                        p.padding.left, p.dilation_w, node->kernel);
  }
  for (int y = 0; y < slice.out_h; ++y)
    for (int x = 0; x < slice.out_w; ++x) slice.real_output.push_back(output.at(0, filter, y, x));
  return slice;
}

Result<ActivationCrop> activation_crop(const Tensor& activation, int channel, int max_side) {
  if (activation.rank() != 4 || activation.numel() == 0)
    return Error{tr("a pooling layer's input must be a map (N, C, H, W)")};
  if (channel < 0 || channel >= activation.c())
    return Error{format(tr("channel %d is not one of the layer's 1 to %d"), channel + 1,
                        static_cast<int>(activation.c()))};
  ActivationCrop crop;
  crop.h = static_cast<int>(std::min<int64_t>(activation.h(), max_side));
  crop.w = static_cast<int>(std::min<int64_t>(activation.w(), max_side));
  for (int y = 0; y < crop.h; ++y)
    for (int x = 0; x < crop.w; ++x) crop.values.push_back(activation.at(0, channel, y, x));
  return crop;
}

}  // namespace convlab
