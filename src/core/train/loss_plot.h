// The loss curve of a training run as a picture (`convlab train` writes it
// next to the model): every step's loss, its moving average, each epoch's
// mean, with labelled axes.
#pragma once

#include <vector>

#include "core/io/image_io.h"

namespace convlab::train {

// step_losses: one per step; epoch_ends: the step count at the end of each
// epoch (for the epoch markers). An empty run gives an empty plot with axes.
// epoch_validation: the validation MSE after each epoch (one per epoch end,
// from the first; may be shorter), drawn as points joined by a line.
RgbImage plot_loss_curve(const std::vector<float>& step_losses, const std::vector<int64_t>& epoch_ends,
                         int width = 960, int height = 540, const std::vector<double>& epoch_validation = {});

}  // namespace convlab::train
