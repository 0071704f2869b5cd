// One layer of the colorizer cut down to what a teaching panel can show: a
// readable crop of the layer's real input activation (from the top-left
// corner, so the zero frame at the top and left is the layer's real
// padding), one filter's real kernel for one input channel (or for all of
// them when there are few enough to draw), the layer's real kernel size,
// stride, padding and dilation, and the layer's real output at the same
// cells, so a panel can say "the layer itself computed this".
#pragma once

#include <string>
#include <vector>

#include "core/base/conv_arithmetic.h"
#include "core/model/model.h"
#include "core/model/runner.h"

namespace convlab {

inline constexpr int kAllChannels = -1;  // a slice's channel: the sum over all input channels

struct LayerSlice {
  std::string layer;       // the conv node ("conv1")
  std::string input_name;  // the activation it reads ("x0")
  bool transposed = false;
  int filter = 0;                 // output channel
  int channel = 0;                // input channel shown, or kAllChannels
  int layer_in_channels = 0;      // the layer's input channels
  int crop_h = 0, crop_w = 0;     // the crop of the input (top-left corner)
  Shape full_input, full_output;  // the layer's real shapes for this image
  int kernel_h = 0, kernel_w = 0;
  Conv2dParams conv;            // when !transposed
  ConvTranspose2dParams tconv;  // when transposed
  int channels_shown = 1;       // 1, or layer_in_channels for kAllChannels
  std::vector<float> input;     // channels_shown * crop_h * crop_w
  // conv: (1, channels_shown, kh, kw); transposed: (channels_shown, 1, kh, kw)
  std::vector<float> weight;
  // The layer's bias for the filter; a single-channel slice leaves it out
  // (the layer adds it once, after summing the channels) and says so.
  float layer_bias = 0;
  // The layer's real output (all channels + bias, before batch norm) for
  // the top-left out_h x out_w cells, row-major: what the slice's cells
  // compute when the slice holds every channel and the crop reaches far
  // enough (`exact_rows` x `exact_cols` from the top-left).
  int out_h = 0, out_w = 0;
  std::vector<float> real_output;
  int exact_rows = 0, exact_cols = 0;
  std::string describe() const;  // "conv1 filter 3, input channel 1 of 11 (x0), 16×16 crop of 256×256"
};

// The top-left corner (at most max_side a side) of one channel of a
// (1, C, H, W) activation, row-major: a pooling layer's real input for the
// convolution panel's pooling view.
struct ActivationCrop {
  int h = 0, w = 0;
  std::vector<float> values;
};
Result<ActivationCrop> activation_crop(const Tensor& activation, int channel, int max_side);

// Names of the graph's conv (or transposed conv) nodes, in execution order.
std::vector<std::string> conv_layer_names(const Graph& graph, bool transposed);

// `activations` from run_model_cpu with keep_all (batch item 0 is used).
// max_side bounds the crop; max_channels is the most input channels a
// kAllChannels slice may hold (the panel's limit). Errors name the layer
// and list the valid layers, filters and channels.
Result<LayerSlice> slice_layer(const Model& model, const Activations& activations, const std::string& layer,
                               int filter, int channel, int max_side, int max_channels);

}  // namespace convlab
