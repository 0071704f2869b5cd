// Photo batches through the colorizer and the batch-norm layers' summaries.
#include "core/model/layer_batch.h"

#include <doctest/doctest.h>

#include "core/io/asset_paths.h"
#include "core/ops/reference.h"

using namespace convlab;

TEST_CASE("photo batch: L planes of the bundled photos at the asked size, categories from file names") {
  auto photos = bundled_sample_photos();
  REQUIRE(photos.size() >= 3);
  photos.resize(3);
  auto batch = load_photo_batch(photos, 32, 16);
  REQUIRE_MESSAGE(batch.ok(), (batch.ok() ? "" : batch.message()));
  CHECK(batch->gray.shape() == Shape{3, 1, 32, 32});
  CHECK(batch->names.size() == 3);
  for (float v : batch->gray.values()) {
    CHECK(v >= 0.0f);
    CHECK(v <= 100.0f);
  }
  // animals_chelsea_cat.jpg is first in name order: category 2 (animals).
  CHECK(batch->names[0] == "animals_chelsea_cat.jpg");
  CHECK(batch->categories[0] == 2);

  auto bad_side = load_photo_batch(photos, 30, 16);
  REQUIRE_FALSE(bad_side.ok());
  CHECK(bad_side.message().find("multiple of 16") != std::string::npos);
  auto missing = load_photo_batch({"/no/photo.jpg"}, 32, 16);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.message().find("/no/photo.jpg") != std::string::npos);
}

TEST_CASE("batch-norm layers: parameters from the model, summaries equal the reference statistics") {
  auto graph = Graph::builtin("basic");
  REQUIRE(graph.ok());
  const Model model = random_model(graph.value(), 3);
  const auto names = batch_norm_layer_names(model.graph);
  REQUIRE_FALSE(names.empty());
  auto layer = batch_norm_layer(model, names.front());
  REQUIRE(layer.ok());
  CHECK(layer->gamma.numel() == layer->channels);
  CHECK(layer->running_var.numel() == layer->channels);
  auto wrong = batch_norm_layer(model, "conv1");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.message().find(names.front()) != std::string::npos);

  auto photos = bundled_sample_photos();
  photos.resize(2);
  auto batch = load_photo_batch(photos, 32, model.graph.size_multiple());
  REQUIRE(batch.ok());
  auto acts = run_model_cpu(model, batch->gray, batch->categories, CpuPath::Reference, true);
  REQUIRE(acts.ok());
  auto rows = summarize_batch_norm_layers(model, acts.value());
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == names.size());
  const BatchNormLayerSummary& first = rows->front();
  auto stats = reference::batch_norm_statistics(acts->values.at(layer->input));
  REQUIRE(stats.ok());
  double mean = 0;
  for (float m : stats->mean) mean += m;
  CHECK(first.batch_mean == doctest::Approx(mean / static_cast<double>(stats->mean.size())));
  double stored = 0;
  for (float v : layer->running_var.values()) stored += v;
  CHECK(first.stored_var == doctest::Approx(stored / static_cast<double>(layer->channels)));
}
