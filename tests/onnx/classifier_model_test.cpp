// The bundled classifier (assets/models/tinyvgg.onnx): read as any ONNX file,
// its photos prepared as its metadata says, scored on colorize128's test
// split. Issue 20 asks for >= 60% (seven classes; the largest is 25.7% of the
// split); the model card states what `convlab train` measured, and the file
// must still give exactly that. Skipped by default: tests/CMakeLists.txt runs
// it where the data set is (CONVLAB_COLORIZE128).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "core/onnx/onnx_graph.h"
#include "core/train/classifier_run.h"

namespace convlab {
namespace {

std::array<float, 3> three_floats(const std::map<std::string, std::string>& metadata,
                                  const std::string& key) {
  REQUIRE_MESSAGE(metadata.count(key) == 1, key);
  std::array<float, 3> out{};
  std::istringstream in(metadata.at(key));
  std::string part;
  for (float& v : out) {
    REQUIRE(std::getline(in, part, ','));
    v = std::stof(part);
  }
  return out;
}

TEST_CASE("the bundled classifier scores what its model card says on colorize128's test split" *
          doctest::skip()) {
  const char* root = std::getenv("CONVLAB_COLORIZE128");
  REQUIRE_MESSAGE(root != nullptr, "set CONVLAB_COLORIZE128 to the colorize128 folder");
  const std::string models = std::string(CONVLAB_SOURCE_DIR) + "/assets/models/";
  auto onnx = onnx_model::load_onnx_file(models + "tinyvgg.onnx");
  REQUIRE_MESSAGE(onnx.ok(), (onnx.ok() ? "" : onnx.message()));
  CHECK(onnx->metadata.at("convlab.color") == "rgb");
  CHECK(onnx->metadata.at("convlab.labels") == "food\nanimals\npeople\nobjects\nvehicles\nindoor\noutdoor");
  const int side = std::stoi(onnx->metadata.at("convlab.image_size"));
  const train::Normalization norm{three_floats(onnx->metadata, "convlab.mean"),
                                  three_floats(onnx->metadata, "convlab.std")};

  auto listing = list_dataset(std::string(root) + "/test", std::string(root) + "/categories.csv");
  REQUIRE(listing.ok());
  auto data = train::load_classifier_data(*listing, side, 1, 7);
  REQUIRE(data.ok());
  REQUIRE(data->images.n() == 370);
  auto scores = train::score_classifier(onnx->model, *data, norm);
  REQUIRE(scores.ok());
  MESSAGE("test accuracy " << scores->accuracy);
  CHECK(scores->accuracy >= 0.60);

  std::ifstream card(models + "tinyvgg.md");
  std::stringstream text;
  text << card.rdbuf();
  std::smatch stated;
  const std::string card_text = text.str();
  REQUIRE(std::regex_search(card_text, stated, std::regex(R"(\*\*([0-9.]+)%\*\*)")));
  CHECK(100.0 * scores->accuracy == doctest::Approx(std::stod(stated[1].str())).epsilon(0.0007));
}

}  // namespace
}  // namespace convlab
