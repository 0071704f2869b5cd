// A classifier's answer as a person reads it: the top classes with their
// labels, and the softmax worked out in numbers (logit, exp(logit - max),
// share in percent), so a student can redo the arithmetic by hand.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/model/graph.h"

namespace convlab {

struct ClassScore {
  int index = 0;       // the class number, 0-based
  std::string label;   // its name, or "class N" when the model has no labels
  double logit = 0;    // the score before softmax
  double shifted = 0;  // exp(logit - max logit): what softmax divides
  double share = 0;    // shifted / sum of shifted, in percent
};

// The k best of `logits` (highest first; ties by index), with softmax over
// all of them. Empty when there are no logits; labels may be fewer than the
// classes. Non-finite logits count as the lowest score.
std::vector<ClassScore> top_classes(std::span<const float> logits, const std::vector<std::string>& labels,
                                    int k = 5);

// Where a classifier's logits are: the graph's output when it is a vector
// (N, K) or (N, K, 1, 1), or the input of a final Softmax (its shares are
// then recomputed from the logits). Empty when the output is not a vector.
// `shapes`: the run's shapes of every node.
std::string logits_node(const Graph& graph, const std::map<std::string, Shape>& shapes);

}  // namespace convlab
