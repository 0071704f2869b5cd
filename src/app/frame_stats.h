// Frame-time statistics for --bench-frames.
#pragma once

#include <vector>

namespace convlab::app {

// Median of the samples (mean of the middle two for an even count); 0 for none.
double median(std::vector<double> samples);

}  // namespace convlab::app
