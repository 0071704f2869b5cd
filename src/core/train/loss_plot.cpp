#include "core/train/loss_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/io/raster_text.h"

namespace convlab::train {

namespace {

struct Rgb {
  uint8_t r, g, b;
};

class Canvas {
 public:
  Canvas(int width, int height) {
    image_.width = width;
    image_.height = height;
    image_.pixels.assign(static_cast<size_t>(width) * static_cast<size_t>(height) * 3, 255);
  }
  RgbImage take() { return std::move(image_); }

  void pixel(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= image_.width || y >= image_.height) return;
    uint8_t* p =
        &image_.pixels[(static_cast<size_t>(y) * static_cast<size_t>(image_.width) + static_cast<size_t>(x)) *
                       3];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
  }
  void rect(int x0, int y0, int x1, int y1, Rgb c) {
    for (int y = std::max(y0, 0); y < std::min(y1, image_.height); ++y)
      for (int x = std::max(x0, 0); x < std::min(x1, image_.width); ++x) pixel(x, y, c);
  }
  // A line `thickness` pixels wide (square brush), by stepping along it.
  void line(double x0, double y0, double x1, double y1, Rgb c, int thickness) {
    const double length = std::max(std::fabs(x1 - x0), std::fabs(y1 - y0));
    const int steps = std::max(1, static_cast<int>(std::ceil(length)));
    const int half = thickness / 2;
    for (int i = 0; i <= steps; ++i) {
      const double t = static_cast<double>(i) / steps;
      const int x = static_cast<int>(std::lround(x0 + (x1 - x0) * t));
      const int y = static_cast<int>(std::lround(y0 + (y1 - y0) * t));
      rect(x - half, y - half, x - half + thickness, y - half + thickness, c);
    }
  }
  void text(int x, int y, const std::string& s, Rgb c, int scale = 2) {
    draw_text(image_, x, y, s, TextColor{c.r, c.g, c.b}, scale);
  }
  static int text_width(const std::string& s, int scale = 2) { return convlab::text_width(s, scale); }

 private:
  RgbImage image_;
};

std::string label(double value) {
  char text[32];
  std::snprintf(text, sizeof text, std::fabs(value) >= 100 ? "%.0f" : "%.3g", value);
  return text;
}

}  // namespace

RgbImage plot_loss_curve(const std::vector<float>& step_losses, const std::vector<int64_t>& epoch_ends,
                         int width, int height, const std::vector<double>& epoch_validation) {
  Canvas canvas(width, height);
  const Rgb ink{30, 30, 36}, grid{225, 227, 232}, raw{160, 190, 230}, smooth{25, 90, 190},
      epoch{220, 110, 20}, valid{20, 150, 60};
  // Title on the first line, the legend on the second, so they never overlap.
  const int left = 90, right = width - 30, top = 70, bottom = height - 60;
  // Validation points at the epoch ends they belong to.
  std::vector<std::pair<int64_t, double>> points;
  for (size_t e = 0; e < std::min(epoch_ends.size(), epoch_validation.size()); ++e)
    if (epoch_ends[e] >= 1 && static_cast<size_t>(epoch_ends[e]) <= step_losses.size() &&
        std::isfinite(epoch_validation[e]))
      points.push_back({epoch_ends[e], epoch_validation[e]});
  // The training loss is the trainer's (chroma-weighted when --chroma-weight
  // is set); the validation score is always the plain MSE of (a,b).
  canvas.text(left, 12,
              points.empty() ? "Training loss of (a,b) per step"
                             : "Training loss per step, validation MSE of (a,b) per epoch",
              ink);
  canvas.text((left + right) / 2 - Canvas::text_width("step") / 2, height - 30, "step", ink);

  // The y range covers the moving average (the raw steps may spike off it).
  const size_t n = step_losses.size();
  const size_t window = std::max<size_t>(1, n / 50);
  std::vector<double> average(n);
  double running = 0;
  for (size_t i = 0; i < n; ++i) {
    running += step_losses[i];
    if (i >= window) running -= step_losses[i - window];
    average[i] = running / static_cast<double>(std::min(i + 1, window));
  }
  double low = n ? *std::min_element(average.begin(), average.end()) : 0.0;
  double high = n ? *std::max_element(average.begin(), average.end()) : 1.0;
  if (n) {
    const double first = *std::max_element(
        step_losses.begin(), step_losses.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(n, 5)));
    high = std::max(high, std::min(first, high * 1.5));
  }
  for (const auto& [end, value] : points) {
    (void)end;
    low = std::min(low, value);
    high = std::max(high, value);
  }
  if (high - low < 1e-9) high = low + 1.0;
  const double pad = 0.05 * (high - low);
  low = std::max(0.0, low - pad);
  high += pad;
  const auto to_x = [&](double step) {
    return left + (right - left) * (n > 1 ? step / static_cast<double>(n - 1) : 0.0);
  };
  const auto to_y = [&](double value) { return bottom - (bottom - top) * (value - low) / (high - low); };

  for (int k = 0; k <= 5; ++k) {
    const double value = low + (high - low) * k / 5.0;
    const int y = static_cast<int>(std::lround(to_y(value)));
    canvas.rect(left, y, right, y + 1, grid);
    const std::string text = label(value);
    canvas.text(left - 10 - Canvas::text_width(text), y - 6, text, ink);
  }
  for (int k = 0; k <= 4 && n > 1; ++k) {
    const double step = static_cast<double>(n - 1) * k / 4.0;
    const int x = static_cast<int>(std::lround(to_x(step)));
    const std::string text = std::to_string(static_cast<long long>(std::lround(step)) + 1);
    canvas.text(x - Canvas::text_width(text) / 2, bottom + 10, text, ink);
  }
  for (int64_t end : epoch_ends) {
    if (end < 1 || static_cast<size_t>(end) > n) continue;
    const int x = static_cast<int>(std::lround(to_x(static_cast<double>(end - 1))));
    for (int y = top; y < bottom; y += 6) canvas.rect(x, y, x + 1, y + 3, epoch);
  }
  for (size_t i = 1; i < n; ++i)
    canvas.line(to_x(static_cast<double>(i - 1)), to_y(std::clamp<double>(step_losses[i - 1], low, high)),
                to_x(static_cast<double>(i)), to_y(std::clamp<double>(step_losses[i], low, high)), raw, 1);
  for (size_t i = 1; i < n; ++i)
    canvas.line(to_x(static_cast<double>(i - 1)), to_y(average[i - 1]), to_x(static_cast<double>(i)),
                to_y(average[i]), smooth, 3);
  for (size_t i = 0; i < points.size(); ++i) {
    const double x = to_x(static_cast<double>(points[i].first - 1)), y = to_y(points[i].second);
    if (i > 0)
      canvas.line(to_x(static_cast<double>(points[i - 1].first - 1)), to_y(points[i - 1].second), x, y, valid,
                  2);
    const int px = static_cast<int>(std::lround(x)), py = static_cast<int>(std::lround(y));
    canvas.rect(px - 4, py - 4, px + 5, py + 5, valid);
  }
  canvas.rect(left, top, left + 1, bottom, ink);
  canvas.rect(left, bottom, right, bottom + 1, ink);
  const std::string legend = "light: each step   dark: moving average";
  canvas.text(right - Canvas::text_width(legend), top - 30, legend, smooth);
  if (!epoch_ends.empty())
    canvas.text(right - Canvas::text_width(legend) - Canvas::text_width("dashed: epoch ends   "), top - 30,
                "dashed: epoch ends", epoch);
  if (!points.empty()) {
    const std::string validation_legend = "green: validation after each epoch";
    canvas.text(right - Canvas::text_width(validation_legend), height - 30, validation_legend, valid);
  }
  return canvas.take();
}

}  // namespace convlab::train
