// The batch-norm explorer: statistics and outputs equal to the reference op,
// the running statistics over training steps, train vs eval, histograms,
// formulas, the settings text and the trace exports.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/explore/bn_explorer.h"
#include "core/explore/bn_settings_text.h"
#include "core/explore/step_text.h"
#include "core/explore/trace_export.h"
#include "core/explore/trace_json.h"
#include "core/ops/reference.h"

using namespace convlab;
using namespace convlab::explore;

namespace {

void set(BnExplorer& e, const std::string& assignment) {
  const Status status = apply_bn_setting(e, assignment);
  REQUIRE_MESSAGE(status.ok(), assignment << ": " << (status.ok() ? "" : status.message()));
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// reference::batch_norm2d of the explorer's batch, on copies of its running statistics.
Tensor reference_output(const BnExplorer& e) {
  Tensor mean = e.running_mean(), var = e.running_var();
  auto out = reference::batch_norm2d(e.values(), e.gamma_tensor(), e.beta_tensor(), mean, var, e.params());
  REQUIRE_MESSAGE(out.ok(), (out.ok() ? "" : out.message()));
  return std::move(out).value();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("defaults: a 4x3x4x4 random batch in train mode, equal to the reference op") {
  BnExplorer e;
  CHECK(e.values().shape() == Shape{4, 3, 4, 4});
  CHECK(e.settings().mode == BnMode::Train);
  CHECK(e.source_label() == "random: mean + scale * normal, seed 1");
  REQUIRE(e.has_output());
  CHECK(e.reason().empty());
  auto stats = reference::batch_norm_statistics(e.values());
  REQUIRE(stats.ok());
  const BatchNormTrace& t = e.trace();
  REQUIRE(t.channels.size() == 3);
  for (int c = 0; c < 3; ++c) {
    const BatchNormChannelTrace& ch = t.channels[static_cast<size_t>(c)];
    CHECK(ch.count == 64);
    CHECK(ch.mean == stats->mean[static_cast<size_t>(c)]);
    CHECK(ch.biased_var == stats->biased_var[static_cast<size_t>(c)]);
    CHECK(ch.unbiased_var == stats->unbiased_var[static_cast<size_t>(c)]);
    CHECK(ch.used_mean == ch.mean);  // train: the batch's statistics
    CHECK(ch.used_var == ch.biased_var);
    // Mean 4, scale 2: the draws look like it (64 values, loose bounds).
    CHECK(std::abs(ch.mean - kDefaultBnMean) < 1.0f);
    CHECK(std::abs(std::sqrt(ch.biased_var) - kDefaultBnScale) < 0.8f);
  }
  CHECK(e.output().values() == reference_output(e).values());
  CHECK(t.output.values() == e.output().values());  // trace == op, bit for bit
  // Showing a batch updates nothing.
  CHECK(e.running_mean().values() == std::vector<float>(3, 0.0f));
  CHECK(e.running_var().values() == std::vector<float>(3, 1.0f));
  CHECK(e.history().size() == 1);
}

TEST_CASE("the random source: reproducible per seed, per-channel mean and scale") {
  BnExplorer a, b;
  CHECK(a.values().values() == b.values().values());
  set(b, "seed=2");
  CHECK(a.values().values() != b.values().values());
  set(b, "seed=1");
  CHECK(a.values().values() == b.values().values());
  // Channel 1's mean moves only channel 1, by exactly the difference of means.
  set(b, "mean=4,14,4");
  for (int64_t n = 0; n < 4; ++n)
    for (int64_t y = 0; y < 4; ++y)
      for (int64_t x = 0; x < 4; ++x) {
        CHECK(b.values().at(n, 0, y, x) == a.values().at(n, 0, y, x));
        CHECK(b.values().at(n, 1, y, x) == doctest::Approx(a.values().at(n, 1, y, x) + 10.0f));
      }
  set(b, "scale=0");
  for (int64_t i = 0; i < b.values().numel(); ++i) CHECK(b.values()[i] == (i / 16 % 3 == 1 ? 14.0f : 4.0f));
  // A constant channel: var 0, eps keeps inv_std finite, the output is beta.
  set(b, "beta=0.5");
  REQUIRE(b.has_output());
  CHECK(b.trace().channels[0].biased_var == 0.0f);
  CHECK(b.trace().channels[0].inv_std == reference::batch_norm_inv_std(0.0f, 1e-5f));
  for (float y : b.output().values()) CHECK(y == 0.5f);
}

TEST_CASE("the chosen channel: values in (n, y, x) order, statistics and formulas with the numbers") {
  BnExplorer e;
  set(e, "channel=2");
  const BnChannelView& v = e.channel_view();
  CHECK(v.channel == 2);
  REQUIRE(v.values.size() == 64);
  REQUIRE(v.normalized.size() == 64);
  REQUIRE(v.outputs.size() == 64);
  CHECK(v.values[17] == e.values().at(1, 2, 0, 1));
  CHECK(v.outputs[17] == e.output().at(1, 2, 0, 1));
  CHECK(v.normalized[17] == e.trace().normalized.at(1, 2, 0, 1));
  CHECK(v.stats.mean == e.trace().channels[2].mean);
  CHECK(static_cast<float>(v.sum / 64.0) == v.stats.mean);
  CHECK(static_cast<float>(v.squared_deviations / 64.0) == v.stats.biased_var);
  CHECK(static_cast<float>(v.squared_deviations / 63.0) == v.stats.unbiased_var);

  const BnFormulas f = e.formulas(4);
  CHECK(f.mean == "mean = (x1 + ... + x64) / 64 = " + format_value(static_cast<float>(v.sum), 4) +
                      " / 64 = " + format_value(v.stats.mean, 4));
  CHECK(contains(f.biased_var, "var = ((x1 - mean)^2 + ... + (x64 - mean)^2) / 64 = "));
  CHECK(contains(f.biased_var, "= " + format_value(v.stats.biased_var, 4)));
  CHECK(contains(f.unbiased_var, "/ 63 = "));
  CHECK(f.inv_std == "inv_std = 1 / sqrt(var + eps) = 1 / sqrt(" + format_value(v.stats.biased_var, 4) +
                         " + 1e-05) = " + format_value(v.stats.inv_std, 4));
  CHECK(contains(f.running_mean, "= 0.9 * 0 + 0.1 * " + format_value(v.stats.mean, 4) + " = " +
                                     format_value(v.stats.running_mean_after, 4)));
  CHECK(contains(f.running_var, "momentum * unbiased var"));
  CHECK(e.value_formula(17, 4) ==
        "y18 = (" + format_value(v.values[17], 4) + " - " + format_value(v.stats.mean, 4) + ") * " +
            format_value(v.stats.inv_std, 4) + " * 1 + 0 = " + format_value(v.outputs[17], 4));
  CHECK(e.value_formula(64).empty());

  set(e, "mode=eval");
  const BnFormulas eval = e.formulas();
  CHECK(contains(eval.inv_std, "1 / sqrt(running_var + eps) = 1 / sqrt(1 + 1e-05)"));
  CHECK(contains(eval.normalize, "(x - running_mean) * inv_std = (x - 0)"));
  CHECK(eval.running_mean == "running_mean = 0 (eval does not update it)");

  BnExplorer small;
  set(small, "batch=1");
  set(small, "size=1x3");
  CHECK(small.formulas().mean.rfind("mean = (x1 + x2 + x3) / 3 = ", 0) == 0);
}

TEST_CASE("histograms: fixed bins, every value counted once, shared or separate ranges") {
  const Histogram h = make_histogram(std::vector<float>{0, 1, 2, 3, 4, 4, 10}, 5, 0, 10);
  CHECK(h.counts == std::vector<int>{2, 2, 2, 0, 1});  // 10 == high goes in the last bin
  CHECK(h.total() == 7);
  const Histogram flat =
      make_histogram(std::vector<float>{3, 3, 3}, 4, 3, 3);  // empty range: widened around the value
  CHECK(flat.low == 2.5f);
  CHECK(flat.high == 3.5f);
  CHECK(flat.total() == 3);
  const Histogram odd = make_histogram(std::vector<float>{1, NAN, INFINITY, 2}, 2, 1, 2);
  CHECK(odd.total() == 2);
  CHECK(odd.non_finite == 2);

  for (const char* range : {"shared", "separate"})
    for (int bins : {1, 7, 16, 64})
      for (const char* shape : {"batch=4", "batch=16", "batch=1"}) {
        BnExplorer e;
        set(e, shape);
        set(e, "size=5x3");
        set(e, std::string("histogram_range=") + range);
        set(e, "bins=" + std::to_string(bins));
        set(e, "channel=1");
        const int expected = static_cast<int>(e.values().n() * 15);
        const BnHistograms& hs = e.histograms();
        CHECK(hs.input.counts.size() == static_cast<size_t>(bins));
        CHECK(hs.input.total() == expected);
        CHECK(hs.normalized.total() == expected);
        CHECK(hs.output.total() == expected);
        if (std::string(range) == "shared") {
          CHECK(hs.input.low == hs.output.low);
          CHECK(hs.input.high == hs.normalized.high);
        } else {
          // Normalized values have mean 0 and variance ~1: their own range is narrow.
          CHECK(hs.normalized.low > hs.input.low - 100.0f);
          CHECK(hs.normalized.low < 0.0f);
          CHECK(hs.normalized.high > 0.0f);
        }
      }
}

TEST_CASE("next_batch: k training steps == k sequential reference::batch_norm2d train calls") {
  BnExplorer e;
  set(e, "momentum=0.25");
  set(e, "gamma=1.5,0.5,2");
  Tensor mean({3}, 0.0f), var({3}, 1.0f);
  const uint64_t first_seed = e.settings().seed;
  for (int k = 1; k <= 12; ++k) {
    const Tensor shown = e.values();
    auto expected = reference::batch_norm2d(shown, e.gamma_tensor(), e.beta_tensor(), mean, var, e.params());
    REQUIRE(expected.ok());
    CHECK(e.output().values() == expected->values());
    // The trace's after-values are what the step commits.
    const std::vector<BatchNormChannelTrace> channels = e.trace().channels;
    REQUIRE(e.next_batch().ok());
    CHECK(e.running_mean().values() == mean.values());
    CHECK(e.running_var().values() == var.values());
    for (size_t c = 0; c < 3; ++c) {
      CHECK(channels[c].running_mean_after == mean[static_cast<int64_t>(c)]);
      CHECK(channels[c].running_var_after == var[static_cast<int64_t>(c)]);
    }
    CHECK(e.batches_tracked() == k);
    CHECK(e.settings().seed == first_seed + static_cast<uint64_t>(k));  // a new batch each step
    CHECK(e.values().values() != shown.values());
    REQUIRE(e.history().size() == static_cast<size_t>(k + 1));
    CHECK(e.history().back().batches == k);
    CHECK(e.history().back().mean == mean.values());
    CHECK(e.history().back().var == var.values());
  }
  CHECK(e.history().front().mean == std::vector<float>(3, 0.0f));
  // The running mean has moved most of the way to the source's mean 4.
  CHECK(std::abs(e.running_mean()[0] - kDefaultBnMean) < 1.0f);

  // Eval steps draw batches but change no statistics.
  set(e, "mode=eval");
  REQUIRE(e.next_batch().ok());
  CHECK(e.running_mean().values() == mean.values());
  CHECK(e.batches_tracked() == 12);
  CHECK(e.history().size() == 13);
  CHECK(e.output().values() == reference_output(e).values());
  CHECK(e.trace().channels[0].used_mean == e.running_mean()[0]);

  e.reset_running();
  CHECK(e.running_mean().values() == std::vector<float>(3, 0.0f));
  CHECK(e.running_var().values() == std::vector<float>(3, 1.0f));
  CHECK(e.batches_tracked() == 0);
  CHECK(e.history().size() == 1);
}

TEST_CASE("train vs eval: the same batch, different statistics, and why") {
  BnExplorer e;
  auto before = e.compare_train_eval();
  REQUIRE(before.ok());
  Tensor mean = e.running_mean(), var = e.running_var();
  reference::BatchNormParams p = e.params();
  p.training = true;
  auto train = reference::batch_norm2d(e.values(), e.gamma_tensor(), e.beta_tensor(), mean, var, p);
  mean = e.running_mean();
  var = e.running_var();
  p.training = false;
  auto eval = reference::batch_norm2d(e.values(), e.gamma_tensor(), e.beta_tensor(), mean, var, p);
  REQUIRE(train.ok());
  REQUIRE(eval.ok());
  CHECK(before->train_output.values() == train->values());
  CHECK(before->eval_output.values() == eval->values());
  auto stats = reference::batch_norm_statistics(e.values());
  CHECK(before->train_mean == stats->mean);
  CHECK(before->train_var == stats->biased_var);
  CHECK(before->eval_mean == std::vector<float>(3, 0.0f));
  CHECK(before->eval_var == std::vector<float>(3, 1.0f));
  CHECK(before->max_difference == max_abs_difference(*train, *eval));
  CHECK(before->max_difference > 1.0f);  // running stats 0/1 vs a batch around 4 +- 2
  CHECK(e.running_mean().values() == std::vector<float>(3, 0.0f));  // untouched
  // After many training steps the running statistics describe the data: eval ~ train.
  for (int i = 0; i < 60; ++i) REQUIRE(e.next_batch().ok());
  auto after = e.compare_train_eval();
  REQUIRE(after.ok());
  CHECK(after->max_difference < before->max_difference / 4);
}

TEST_CASE("one value per channel: train has no output (PyTorch's rule), eval does") {
  BnExplorer e;
  set(e, "batch=1");
  set(e, "size=1");
  CHECK_FALSE(e.has_output());
  CHECK(contains(e.reason(), "more than 1 value per channel"));
  CHECK(e.output().empty());
  CHECK(e.histograms().input.total() == 1);
  CHECK(e.histograms().output.counts.empty());
  CHECK(e.value_formula(0).empty());
  CHECK(contains(e.formulas().unbiased_var, "undefined"));
  auto step = e.next_batch();
  REQUIRE_FALSE(step.ok());
  CHECK(contains(step.message(), "next batch: "));
  CHECK_FALSE(e.compare_train_eval().ok());
  set(e, "mode=eval");
  CHECK(e.has_output());
  CHECK(e.output().values() == reference_output(e).values());
  CHECK(e.next_batch().ok());
}

TEST_CASE("fed activations: shape, label, layer requests") {
  BnExplorer e;
  set(e, "gamma=2,3,4");
  Tensor activations({2, 5, 6, 7});
  for (int64_t i = 0; i < activations.numel(); ++i) activations[i] = static_cast<float>(i % 13) * 0.5f - 2.0f;
  REQUIRE(e.request_layer("conv1_bn").ok());
  CHECK(contains(e.source_label(), "layer conv1_bn (asked for"));
  REQUIRE(e.set_batch_values(activations, "conv1_bn of cat.jpg").ok());
  CHECK(e.settings().source == BnSource::Layer);
  CHECK(e.source_label() == "conv1_bn of cat.jpg");
  CHECK(e.settings().batch == 2);
  CHECK(e.settings().channels == 5);
  CHECK(e.settings().height == 6);
  CHECK(e.settings().width == 7);
  CHECK(e.settings().gamma == std::vector<float>{2, 3, 4, 1, 1});  // kept, then defaults
  CHECK(e.running_mean().numel() == 5);
  CHECK(e.values().values() == activations.values());
  CHECK(e.output().values() == reference_output(e).values());
  CHECK(contains(describe_bn_state(e), "source=layer:conv1_bn\n"));
  // A training step keeps fed values: the app feeds the next batch.
  REQUIRE(e.next_batch().ok());
  CHECK(e.values().values() == activations.values());
  CHECK(e.batches_tracked() == 1);

  CHECK_FALSE(e.set_batch_values(Tensor({2, 3, 4}), "x").ok());
  CHECK_FALSE(e.set_batch_values(Tensor({17, 1, 2, 2}), "x").ok());
  CHECK_FALSE(e.set_batch_values(Tensor({1, 1025, 2, 2}), "x").ok());
  Tensor broken({1, 1, 2, 2});
  broken[3] = NAN;
  auto refused = e.set_batch_values(broken, "x");
  REQUIRE_FALSE(refused.ok());
  CHECK(contains(refused.message(), "value 3 is nan: every activation must be finite"));
  CHECK(e.values().values() == activations.values());  // unchanged
  CHECK_FALSE(e.request_layer("").ok());
  CHECK_FALSE(e.request_layer("conv 1").ok());

  // Unnamed fed values are described as a comment and the random source.
  BnExplorer fed;
  REQUIRE(fed.set_batch_values(activations, "a pasted\ntensor").ok());
  const std::string text = describe_bn_state(fed);
  CHECK(contains(text, "# source: a pasted tensor (values not saved)\nsource=random\n"));
  // A new shape goes back to random values.
  set(fed, "batch=3");
  CHECK(fed.settings().source == BnSource::Random);
  CHECK(fed.values().shape() == Shape{3, 5, 6, 7});
}

TEST_CASE("settings text: round trip and errors that name the key") {
  BnExplorer a;
  for (const char* line : {"batch=6", "channels=4", "size=3x5", "seed=42", "mean=1,2,3,-4", "scale=0.5",
                           "gamma=1,2,0.5,1e-07", "beta=0,0.25,-1,3", "eps=0.001", "momentum=0.3",
                           "mode=eval", "running_mean=0.5,1,-1,2", "running_var=1,2,3,0.1",
                           "source=layer:up2.conv", "channel=3", "bins=9", "histogram_range=separate"}) {
    const Status status = apply_bn_setting(a, line);
    REQUIRE_MESSAGE(status.ok(), line << ": " << (status.ok() ? "" : status.message()));
  }
  const std::string saved = describe_bn_state(a);
  BnExplorer b;
  REQUIRE(apply_bn_settings_text(b, "# saved\n\n" + saved).ok());
  CHECK(describe_bn_state(b) == saved);
  CHECK(b.values().values() == a.values().values());
  CHECK(b.output().values() == a.output().values());
  CHECK(b.settings().layer == "up2.conv");
  CHECK(b.settings().mode == BnMode::Eval);
  CHECK(b.running_var()[3] == 0.1f);
  CHECK(contains(saved, "source=layer:up2.conv\n"));
  CHECK(contains(saved, "eps=0.001\n"));
  CHECK(bn_setting_keys().size() == lines_of(saved).size());

  // After training steps: the running statistics are saved exactly.
  BnExplorer c;
  for (int i = 0; i < 5; ++i) REQUIRE(c.next_batch().ok());
  BnExplorer d;
  REQUIRE(apply_bn_settings_text(d, describe_bn_state(c)).ok());
  CHECK(describe_bn_state(d) == describe_bn_state(c));
  CHECK(d.running_var().values() == c.running_var().values());
  CHECK(d.values().values() == c.values().values());

  struct Bad {
    const char* assignment;
    const char* message_part;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"batch=17", "batch: batch size is 17 but must be 1..16"},
           {"batch=four", "batch: 'four' is not valid: use an integer 1..16"},
           {"channels=9", "channels: channels is 9 but must be 1..8"},
           {"size=4x17", "size: width is 17 but must be 1..16"},
           {"channel=3", "channel: shown channel is 3 but must be 0..2"},
           {"mode=training", "mode: unknown mode 'training': use train or eval"},
           {"source=photo", "source: 'photo' is not valid: use random or layer:NAME"},
           {"source=layer:", "source: layer name '' is not valid"},
           {"gamma=1,2", "gamma: got 2 values but there are 3 channels"},
           {"beta=1,x,2", "beta: 'x' is not a number"},
           {"mean=inf", "mean: mean of channel 0 is inf but must be a finite number"},
           {"scale=-1", "scale: scale of channel 0 is -1 but must be >= 0"},
           {"running_var=1,-1,1", "running_var: running_var of channel 1 is -1 but must be >= 0"},
           {"eps=-1", "eps: eps is -1 but must be from 0 to 1"},
           {"momentum=1.5", "momentum: momentum is 1.5 but must be from 0 to 1"},
           {"bins=0", "bins: histogram bins is 0 but must be 1..64"},
           {"histogram_range=both", "histogram_range: 'both' is not valid: use shared"},
           {"seed=-3", "seed: '-3' is not valid: use a non-negative integer"},
           {"gamma_and_beta=1", "unknown setting 'gamma_and_beta': valid keys are batch, channels"},
           {"mode", "has no '='"}}) {
    CAPTURE(bad.assignment);
    BnExplorer e;
    const std::string state = describe_bn_state(e);
    const Status status = apply_bn_setting(e, bad.assignment);
    REQUIRE_FALSE(status.ok());
    CHECK_MESSAGE(contains(status.message(), bad.message_part), status.message());
    CHECK(describe_bn_state(e) == state);
  }
  BnExplorer e;
  const Status line = apply_bn_settings_text(e, "batch=2\nmode=nope\n");
  REQUIRE_FALSE(line.ok());
  CHECK(contains(line.message(), "line 2: mode:"));
}

TEST_CASE("batch-norm trace export: CSV rows and JSON values read back exactly") {
  BnExplorer e;
  set(e, "batch=2");
  set(e, "size=2x3");
  set(e, "channels=2");
  const std::string csv = batch_norm_trace_to_csv(e.trace(), e.values());
  const std::vector<std::string> lines = lines_of(csv);
  REQUIRE(lines.size() == 1 + 2 * (1 + 12));
  CHECK(lines[0].rfind("kind,channel,n,y,x,input,normalized,output,count,mean,", 0) == 0);
  CHECK(lines[1].rfind("channel,0,,,,,,,12," + format_value(e.trace().channels[0].mean) + ",", 0) == 0);
  CHECK(lines[2] == "value,0,0,0,0," + format_value(e.values().at(0, 0, 0, 0)) + "," +
                        format_value(e.trace().normalized.at(0, 0, 0, 0)) + "," +
                        format_value(e.output().at(0, 0, 0, 0)) + ",,,,,,,,,,,,,");
  const auto json = nlohmann::json::parse(batch_norm_trace_json(e.trace(), {&e.values()}));
  CHECK(json["op"] == "batch_norm2d");
  CHECK(json["params"]["training"] == true);
  REQUIRE(json["channels"].size() == 2);
  CHECK(json["channels"][1]["output"].size() == 12);
  CHECK(json["channels"][1]["output"][7].get<float>() == e.output().at(1, 1, 0, 1));
  CHECK(json["channels"][0]["mean"].get<float>() == e.trace().channels[0].mean);
  CHECK(json["channels"][1]["input"][7].get<float>() == e.values().at(1, 1, 0, 1));
  CHECK(json["output"]["shape"] == std::vector<int64_t>{2, 2, 2, 3});
}
