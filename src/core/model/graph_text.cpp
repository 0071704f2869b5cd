#include "core/model/graph_text.h"

#include "core/base/i18n.h"

namespace convlab {

const char* graph_text(const std::string& text) { return text.empty() ? "" : tr(text.c_str()); }

const std::vector<const char*>& builtin_graph_texts() {
  // Kept in step with assets/models/ecnn_advanced.json and ecnn_basic.json
  // (tests/model/graph_text_test.cpp).
  static const std::vector<const char*> texts = {
      tr_noop("A U-Net colorizer: four stride-2 convolutions shrink the L channel (plus the category "
              "embedding) to 1/16 size, two dilated convolutions widen the view, and four transposed "
              "convolutions with skip connections bring it back to full size as the a,b color channels."),
      tr_noop("Looks up the 10 learned numbers of the image's category and repeats them at every pixel of "
              "the input."),
      tr_noop("Stacks the L channel and the 10 category channels: 11 channels at full size."),
      tr_noop("32 filters of 4x4 with stride 2 and padding 1: finds edges and blobs while halving the size."),
      tr_noop("Batch normalization: brings each channel to mean 0, variance 1, then scales and shifts it."),
      tr_noop("ReLU keeps positive responses and zeroes the rest (kept for the skip connection to t1)."),
      tr_noop("64 filters of 4x4, stride 2: combines edges into textures at a quarter of the size."),
      tr_noop("Batch normalization of the 64 channels."),
      tr_noop("ReLU (kept for the skip connection to t2)."),
      tr_noop("128 filters of 4x4, stride 2: parts of objects at an eighth of the size."),
      tr_noop("Batch normalization of the 128 channels."),
      tr_noop("ReLU (kept for the skip connection to t3)."),
      tr_noop("256 filters of 4x4, stride 2: the smallest map, 1/16 of the size, where each cell sees a "
              "large area."),
      tr_noop("Batch normalization of the 256 channels."),
      tr_noop("ReLU at the bottom of the U."),
      tr_noop("A 4x4 kernel with dilation 2 (gaps between taps) covers 7x7 cells with 16 weights; padding 3 "
              "keeps the size."),
      tr_noop("Batch normalization of the dilated convolution."),
      tr_noop("ReLU after the first dilated convolution."),
      tr_noop("A second dilated convolution: the view of each cell grows again without shrinking the map."),
      tr_noop("Batch normalization of the second dilated convolution."),
      tr_noop("ReLU after the second dilated convolution."),
      tr_noop("The same category embedding again, repeated over the small 1/16 map."),
      tr_noop("Injects the category a second time: 256 + 10 = 266 channels."),
      tr_noop(
          "Transposed convolution, stride 2: each input cell spreads a 4x4 patch, doubling the size to 1/8."),
      tr_noop("Batch normalization of the upsampled map."),
      tr_noop("ReLU of the upsampled map."),
      tr_noop("Skip connection: joins the upsampled map with c3 from the way down, 256 channels."),
      tr_noop("Transposed convolution back to 1/4 of the size."),
      tr_noop("Skip connection with c2: 128 channels."),
      tr_noop("Transposed convolution back to half size."),
      tr_noop("Batch normalization of the 32 channels."),
      tr_noop("Skip connection with c1: 64 channels."),
      tr_noop(
          "The last transposed convolution returns to full size with 2 channels: a first guess of a and b."),
      tr_noop("ReLU kept from the original model (so its weights load unchanged), although a and b can be "
              "negative."),
      tr_noop("Joins the guess with the original L channel: 3 channels."),
      tr_noop("A 3x3 convolution refines the colors using L: the predicted a and b channels."),
      tr_noop("The small colorizer: two stride-2 convolutions shrink the L channel (plus the category "
              "embedding) to 1/4 size, and two transposed convolutions bring it back as the a,b color "
              "channels, with no skip connections."),
      tr_noop("ReLU keeps positive responses and zeroes the rest."),
      tr_noop("64 filters of 4x4, stride 2: textures at a quarter of the size."),
      tr_noop("ReLU at the bottom of this small network."),
      tr_noop("The same category embedding again, repeated over the 1/4-size map."),
      tr_noop("Injects the category a second time: 64 + 10 = 74 channels."),
      tr_noop(
          "Transposed convolution, stride 2: each input cell spreads a 4x4 patch, doubling the size to 1/2."),
      tr_noop("The last transposed convolution returns to full size with 2 channels: a and b."),
      tr_noop("ReLU kept from the original model (so its weights load unchanged): the predicted a and b."),
  };
  return texts;
}

bool is_builtin_graph_text(const std::string& text) {
  for (const char* known : builtin_graph_texts())
    if (text == known) return true;
  return false;
}

}  // namespace convlab
