#include "core/model/class_scores.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/i18n.h"

namespace convlab {

namespace {

double score(float logit) { return std::isfinite(logit) ? static_cast<double>(logit) : -HUGE_VAL; }

// (N, K) or (N, K, 1, 1): one score per class.
bool is_vector(const Shape& shape) {
  if (shape.size() == 2) return shape[1] > 1;
  return shape.size() == 4 && shape[1] > 1 && shape[2] == 1 && shape[3] == 1;
}

}  // namespace

std::vector<ClassScore> top_classes(std::span<const float> logits, const std::vector<std::string>& labels,
                                    int k) {
  if (logits.empty() || k < 1) return {};
  double max = -HUGE_VAL;
  for (float v : logits) max = std::max(max, score(v));
  std::vector<double> shifted(logits.size());
  for (size_t i = 0; i < logits.size(); ++i)
    shifted[i] =
        std::isfinite(max) && std::isfinite(score(logits[i])) ? std::exp(score(logits[i]) - max) : 0.0;
  const double sum = std::accumulate(shifted.begin(), shifted.end(), 0.0);
  std::vector<int> order(logits.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t n = std::min(order.size(), static_cast<size_t>(k));
  std::partial_sort(
      order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(), [&](int a, int b) {
        const double sa = score(logits[static_cast<size_t>(a)]), sb = score(logits[static_cast<size_t>(b)]);
        return sa != sb ? sa > sb : a < b;
      });
  std::vector<ClassScore> top;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<size_t>(order[i]);
    ClassScore s;
    s.index = order[i];
    s.label = c < labels.size() && !labels[c].empty() ? labels[c] : format(tr("class %d"), order[i]);
    s.logit = logits[c];
    s.shifted = shifted[c];
    s.share = sum > 0 ? 100.0 * shifted[c] / sum : 0.0;
    top.push_back(s);
  }
  return top;
}

std::string logits_node(const Graph& graph, const std::map<std::string, Shape>& shapes) {
  const std::string& out = graph.output();
  const auto shape = shapes.find(out);
  if (out.empty() || shape == shapes.end() || !is_vector(shape->second)) return {};
  const GraphNode* node = graph.find(out);
  if (node && node->op == OpKind::Softmax && node->inputs.size() == 1) {
    const auto before = shapes.find(node->inputs[0]);
    if (before != shapes.end() && is_vector(before->second)) return node->inputs[0];
  }
  return out;
}

}  // namespace convlab
