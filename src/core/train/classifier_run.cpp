#include "core/train/classifier_run.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/fast/parallel.h"
#include "core/model/runner.h"
#include "core/train/classifier_ops.h"
#include "core/train/trainer_model.h"
#include "core/train/training_run.h"

namespace convlab::train {

Result<ClassifierData> load_classifier_data(const DatasetListing& listing, int side, int first_category,
                                            int classes) {
  if (side < 4 || side > 1024) return make_error("image size ", side, " is out of range; valid: 4 to 1024");
  std::vector<const LabeledImage*> wanted;
  ClassifierData data;
  data.side = side;
  data.skipped = listing.skipped;
  for (const LabeledImage& image : listing.images) {
    if (image.category >= first_category && image.category < first_category + classes)
      wanted.push_back(&image);
    else
      data.skipped.push_back(image.path + ": category " + std::to_string(image.category) + " is not one of " +
                             std::to_string(first_category) + " to " +
                             std::to_string(first_category + classes - 1));
  }
  const int64_t n = static_cast<int64_t>(wanted.size()), plane = int64_t{side} * side;
  Tensor all({std::max<int64_t>(n, 1), 3, side, side});
  std::vector<std::string> errors(static_cast<size_t>(n));
  fast::detail::parallel_for(n, 8, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      auto rgb = load_image(wanted[static_cast<size_t>(i)]->path);
      if (rgb) rgb = resize_image(center_crop_to_aspect(*rgb, 1, 1), side, side);
      if (!rgb) {
        errors[static_cast<size_t>(i)] = wanted[static_cast<size_t>(i)]->path + ": " + rgb.message();
        continue;
      }
      float* out = all.data() + i * 3 * plane;
      for (int64_t p = 0; p < plane; ++p)
        for (int c = 0; c < 3; ++c)
          out[c * plane + p] = static_cast<float>(rgb->pixels[static_cast<size_t>(p * 3 + c)]) / 255.0f;
    }
  });
  std::vector<int64_t> kept;
  for (int64_t i = 0; i < n; ++i) {
    if (errors[static_cast<size_t>(i)].empty())
      kept.push_back(i);
    else
      data.skipped.push_back(errors[static_cast<size_t>(i)]);
  }
  if (kept.empty())
    return make_error("no usable photo of categories ", first_category, " to ", first_category + classes - 1,
                      " in the listing");
  data.images = Tensor({static_cast<int64_t>(kept.size()), 3, side, side});
  for (size_t k = 0; k < kept.size(); ++k) {
    std::copy_n(all.data() + kept[k] * 3 * plane, 3 * plane,
                data.images.data() + static_cast<int64_t>(k) * 3 * plane);
    data.labels.push_back(wanted[static_cast<size_t>(kept[k])]->category - first_category);
  }
  return data;
}

Normalization channel_statistics(const Tensor& images) {
  Normalization norm;
  const int64_t plane = images.h() * images.w();
  for (int c = 0; c < 3; ++c) {
    double sum = 0, squares = 0;
    for (int64_t n = 0; n < images.n(); ++n) {
      const float* p = images.data() + (n * images.c() + c) * plane;
      for (int64_t i = 0; i < plane; ++i) {
        sum += p[i];
        squares += static_cast<double>(p[i]) * p[i];
      }
    }
    const double count = static_cast<double>(images.n() * plane);
    const double mean = sum / count;
    norm.mean[static_cast<size_t>(c)] = static_cast<float>(mean);
    norm.std[static_cast<size_t>(c)] =
        static_cast<float>(std::sqrt(std::max(squares / count - mean * mean, 1e-12)));
  }
  return norm;
}

Tensor normalized(const Tensor& images, const Normalization& norm) {
  Tensor out = images;
  const int64_t plane = images.h() * images.w();
  for (int64_t n = 0; n < images.n(); ++n)
    for (int c = 0; c < 3; ++c) {
      float* p = out.data() + (n * images.c() + c) * plane;
      const float mean = norm.mean[static_cast<size_t>(c)], inv = 1.0f / norm.std[static_cast<size_t>(c)];
      for (int64_t i = 0; i < plane; ++i) p[i] = (p[i] - mean) * inv;
    }
  return out;
}

namespace {

int argmax_row(const Tensor& logits, int64_t row) {
  const int64_t k = logits.shape()[1];
  const float* r = logits.data() + row * k;
  return static_cast<int>(std::max_element(r, r + k) - r);
}

// One training batch: the images of `order[first ..]`, each flipped and
// rescaled-and-cropped as (seed, epoch, index) say, then normalized.
Tensor training_batch(const ClassifierData& data, const std::vector<int>& order, size_t first, int batch,
                      const ClassifierOptions& options, int epoch, const Normalization& norm,
                      std::vector<int64_t>& labels) {
  const int side = data.side;
  const int64_t plane = int64_t{side} * side;
  Tensor x({batch, 3, side, side});
  labels.clear();
  for (int b = 0; b < batch; ++b) {
    const int index = order[first + static_cast<size_t>(b)];
    const bool mirror = options.flip && flipped(options.seed, epoch, index);
    const ScaleCrop crop = scale_crop(options.seed, epoch, index, options.scale_max, side);
    for (int c = 0; c < 3; ++c)
      rescale_crop_plane(data.images.data() + (int64_t{index} * 3 + c) * plane,
                         x.data() + (int64_t{b} * 3 + c) * plane, side, crop, mirror);
    labels.push_back(data.labels[static_cast<size_t>(index)]);
  }
  return normalized(x, norm);
}

}  // namespace

Result<ClassifierScores> score_classifier(const Model& model, const ClassifierData& data,
                                          const Normalization& norm, int batch) {
  if (model.graph.inputs().size() != 1) return make_error("a classifier has one input");
  const std::string& input = model.graph.inputs()[0].name;
  const int64_t n = data.images.n(), plane = int64_t{data.side} * data.side;
  ClassifierScores scores;
  int64_t right = 0;
  double loss_sum = 0;
  for (int64_t first = 0; first < n; first += batch) {
    const int64_t count = std::min<int64_t>(batch, n - first);
    Tensor x({count, 3, data.side, data.side});
    std::copy_n(data.images.data() + first * 3 * plane, count * 3 * plane, x.data());
    auto acts = run_graph_cpu(model, {{input, normalized(x, norm)}}, CpuPath::Fast, false);
    if (!acts) return acts.error();
    const Tensor& logits = acts->output(model.graph);
    if (logits.rank() != 2) return make_error("the classifier's output must be (N, classes)");
    const int64_t classes = logits.shape()[1];
    if (scores.confusion.empty())
      scores.confusion.assign(static_cast<size_t>(classes),
                              std::vector<int>(static_cast<size_t>(classes), 0));
    std::vector<int64_t> labels(data.labels.begin() + first, data.labels.begin() + first + count);
    auto loss = softmax_cross_entropy(logits, labels);
    if (!loss) return loss.error();
    loss_sum += static_cast<double>(*loss) * static_cast<double>(count);
    for (int64_t r = 0; r < count; ++r) {
      const int got = argmax_row(logits, r);
      right += got == labels[static_cast<size_t>(r)] ? 1 : 0;
      ++scores.confusion[static_cast<size_t>(labels[static_cast<size_t>(r)])][static_cast<size_t>(got)];
    }
  }
  scores.accuracy = static_cast<double>(right) / static_cast<double>(n);
  scores.loss = loss_sum / static_cast<double>(n);
  return scores;
}

Status train_classifier(Model& model, Adam& adam, const ClassifierData& data, const Normalization& norm,
                        const ClassifierOptions& options,
                        const std::function<bool(int, int, int, float)>& on_step,
                        const std::function<Status(const ClassifierEpochReport&)>& on_epoch) {
  const int n = static_cast<int>(data.images.n());
  const int steps = steps_per_epoch(n, options.batch);
  if (steps < 1)
    return make_error("a batch of ", options.batch, " needs at least that many photos; there are ", n);
  std::vector<int64_t> labels;
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const double t = options.epochs > 1 ? static_cast<double>(epoch - 1) / (options.epochs - 1) : 0.0;
    ClassifierEpochReport report;
    report.epoch = epoch;
    report.lr = options.lr + (options.final_lr - options.lr) * t;
    adam.set_lr(report.lr);
    const std::vector<int> order = epoch_order(n, options.seed, epoch);
    int64_t right = 0;
    double loss_sum = 0;
    for (int step = 0; step < steps; ++step) {
      const Tensor x =
          training_batch(data, order, static_cast<size_t>(step) * static_cast<size_t>(options.batch),
                         options.batch, options, epoch, norm, labels);
      auto result = classifier_loss_and_gradients(model, x, labels);
      if (!result) return with_context("epoch " + std::to_string(epoch) + ": ", result.error());
      CONVLAB_TRY(adam.step(model.weights, result->gradients));
      loss_sum += result->loss;
      for (int64_t r = 0; r < options.batch; ++r)
        right += argmax_row(result->output, r) == labels[static_cast<size_t>(r)] ? 1 : 0;
      if (on_step && !on_step(epoch, step + 1, steps, result->loss))
        return make_error("training stopped in epoch ", epoch, " at step ", step + 1);
    }
    report.train_loss = loss_sum / steps;
    report.train_accuracy = static_cast<double>(right) / (static_cast<double>(steps) * options.batch);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (on_epoch) CONVLAB_TRY(on_epoch(report));
  }
  return {};
}

}  // namespace convlab::train
