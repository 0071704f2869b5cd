// Property sweep over every panel's settings, without a window: thousands of
// seeded random keys and values, valid and not, in random orders. Each one
// either applies or is refused with a message naming its key; nothing
// crashes; and after every step the panel's own state_text() reopens a fresh
// panel into exactly the same state (what File > Copy state, links and
// lesson steps rely on).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "app/lesson_check.h"
#include "app/link_state.h"
#include "app/register_panels.h"
#include "cli/run_convlab.h"
#include "core/explore/setting_parse.h"
#include "core/io/asset_paths.h"
#include "core/lesson/lesson.h"

using namespace convlab;
using namespace convlab::app;
namespace fs = std::filesystem;

namespace {

using Pool = std::vector<std::string>;

// Values any key may get: junk, edge numbers, other keys' syntax.
const Pool& generic_values() {
  static const Pool values{"",
                           " ",
                           "-1",
                           "0",
                           "1",
                           "2",
                           "3",
                           "4",
                           "7",
                           "33",
                           "-0",
                           "1.5",
                           "0.5",
                           "1e-5",
                           "nan",
                           "inf",
                           "-inf",
                           "1e309",
                           "banana",
                           "3x",
                           "x3",
                           "3x3",
                           "2x5",
                           "0x0",
                           "40x40",
                           "2,3",
                           "1,2,3,4",
                           ",",
                           "1,,2",
                           "5x5x5",
                           "on",
                           "off",
                           "true",
                           "same",
                           "valid",
                           "full",
                           "a=b",
                           "\n",
                           "\xff\xfe",
                           "99999999999999999999",
                           "2147483648",
                           "-2147483649",
                           "1,2,3,4,5,6,7,8,9",
                           "sum",
                           "default",
                           "start",
                           "end"};
  return values;
}

std::string random_number_text(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> kind(0, 5);
  switch (kind(rng)) {
    case 0:
      return std::to_string(std::uniform_int_distribution<int>(-3, 40)(rng));
    case 1:
      return std::to_string(std::uniform_int_distribution<int>(1, 9)(rng)) + "x" +
             std::to_string(std::uniform_int_distribution<int>(1, 9)(rng));
    case 2:
      return std::to_string(std::uniform_int_distribution<int>(0, 4)(rng)) + "," +
             std::to_string(std::uniform_int_distribution<int>(0, 4)(rng));
    case 3: {
      std::string text;
      for (int i = 0; i < 4; ++i)
        text += (i ? "," : "") + std::to_string(std::uniform_int_distribution<int>(0, 3)(rng));
      return text;
    }
    case 4: {
      std::string text;
      const int n = std::uniform_int_distribution<int>(1, 30)(rng);
      for (int i = 0; i < n; ++i)
        text += (i ? "," : "") + std::to_string(std::uniform_real_distribution<double>(-9, 9)(rng));
      return text;
    }
    default:
      return std::to_string(std::uniform_real_distribution<double>(-2, 300)(rng));
  }
}

struct PanelPlan {
  std::string id;
  std::map<std::string, Pool> keys;  // key -> values worth trying besides the generic ones
};

// The keys each panel reads (its unknown-key message lists them; the test
// below checks that list against these), with values that exercise them.
// Exports are left out: they write files (tests/app/test_export_files.cpp).
std::vector<PanelPlan> plans(const std::string& scratch) {
  const std::string samples = std::string(CONVLAB_SOURCE_DIR) + "/assets/samples/";
  const std::string lessons = std::string(CONVLAB_SOURCE_DIR) + "/lessons/";
  const Pool photos{"food_coffee", "animals_chelsea_cat", samples + "food_strawberries.jpg",
                    scratch + "/junk.png", scratch + "/missing.png"};
  const Pool layer_sources{"none",       "layer:conv1", "layer:conv3", "layer:t_conv1",
                           "layer:nope", "layer:",      "photo"};
  const Pool explorer_common_panel{"on", "off"};
  std::vector<PanelPlan> all;
  const std::map<std::string, Pool> conv_explorer{
      {"input", {"5x5", "7x7", "1x1", "32x32", "33x33", "3x8"}},
      {"in_channels", {"1", "2", "3", "4"}},
      {"out_channels", {"1", "2", "3", "4"}},
      {"kernel", {"3x3", "1x1", "5x5", "7x7", "2x4"}},
      {"seed", {"1", "42", "18446744073709551615", "18446744073709551616"}},
      {"input_preset", {"numbers", "random", "zeros", "ones", "checker", "edge", "nope"}},
      {"input_values", {"1,2,3", "0"}},
      {"kernel_preset", {"sharpen", "identity", "box", "edge", "random", "nope"}},
      {"kernel_values", {"1,0,-1", "0.5"}},
      {"bias", {"0", "1.5", "-2"}},
      {"padding", {"valid", "same", "full", "1", "2", "0,1,2,3", "33"}},
      {"stride", {"1", "2", "1,2", "4", "5"}},
      {"dilation", {"1", "2", "3,1", "4", "5"}},
      {"speed", {"2", "0.5", "1000", "1001", "0"}},
      {"step", {"0", "3", "start", "end", "999"}}};
  PanelPlan conv{"conv", conv_explorer};
  conv.keys["operation"] = {"conv", "maxpool", "avgpool", "max", "minpool"};
  conv.keys["count_include_pad"] = {"on", "off", "maybe"};
  conv.keys["ceil_mode"] = {"on", "off", "2"};
  for (const char* key : {"loop", "play"}) conv.keys[key] = explorer_common_panel;
  conv.keys["photo"] = photos;
  conv.keys["hover"] = {"1,2,3", "1,1,1", "0,0,0", "9,9,9", "off"};
  conv.keys["source"] = layer_sources;
  conv.keys["image"] = photos;
  conv.keys["category"] = {"animals", "food", "animais", "dogs", "0", "8"};
  conv.keys["working_size"] = {"16", "64", "15", "513"};
  conv.keys["filter"] = {"1", "2", "0", "99"};
  conv.keys["channel"] = {"1", "2", "sum", "0", "99"};
  all.push_back(conv);

  PanelPlan tconv{"tconv", conv_explorer};
  tconv.keys.erase("padding");
  tconv.keys["input"] = {"2x2", "3x3", "1x1", "8x8", "9x9"};
  tconv.keys["kernel"] = {"2x2", "3x3", "1x1", "5x5"};
  tconv.keys["padding"] = {"0,0", "1", "1,2", "4"};
  tconv.keys["output_padding"] = {"0,0", "1", "1,0", "3"};
  tconv.keys["view"] = {"sum", "1", "2", "0", "99", "sum,1"};
  for (const char* key : {"loop", "play", "artifact"}) tconv.keys[key] = explorer_common_panel;
  for (const char* key : {"photo", "image"}) tconv.keys[key] = photos;
  tconv.keys["source"] = layer_sources;
  tconv.keys["category"] = conv.keys["category"];
  tconv.keys["working_size"] = conv.keys["working_size"];
  tconv.keys["filter"] = conv.keys["filter"];
  tconv.keys["channel"] = conv.keys["channel"];
  all.push_back(tconv);

  all.push_back({"bn",
                 {{"batch", {"1", "4", "16", "17"}},
                  {"channels", {"1", "3", "4", "9"}},
                  {"size", {"4x4", "1x1", "8x8", "2x3"}},
                  {"seed", {"1", "7"}},
                  {"mean", {"4,4,4", "0", "1,2"}},
                  {"scale", {"2,2,2", "0", "-1"}},
                  {"gamma", {"1,1,1", "0.5"}},
                  {"beta", {"0,0,0", "1"}},
                  {"eps", {"1e-05", "0", "1", "1e-12"}},
                  {"momentum", {"0.1", "0", "1", "1.1"}},
                  {"mode", {"train", "eval", "infer"}},
                  {"running_mean", {"0,0,0", "1"}},
                  {"running_var", {"1,1,1", "0", "-1"}},
                  {"source", {"random", "layer:conv1_bn", "layer:conv3_bn", "layer:nope", "photo"}},
                  {"channel", {"0", "1", "2", "3"}},
                  {"bins", {"16", "2", "1", "257"}},
                  {"histogram_range", {"separate", "shared", "other"}},
                  {"steps", {"0", "10", "1000", "1001"}}}});

  all.push_back({"network",
                 {{"image", photos},
                  {"category", conv.keys["category"]},
                  {"layer", {"c1", "d1", "conv3_bn", "conv9", "off"}},
                  {"arch", {"advanced", "basic", "huge"}},
                  {"weights", {"default", scratch + "/junk.safetensors", scratch + "/missing.safetensors"}},
                  {"backend", {"gpu", "cpu", "tpu"}},
                  {"working_size", {"64", "128", "16", "8", "1025"}},
                  {"compare", {"side", "wipe", "over"}},
                  {"wipe", {"0.25", "0", "1", "2"}},
                  {"zoom", {"off", "1", "5", "0"}},
                  {"inspect", {"maps", "kernels", "batchnorm", "weights"}},
                  {"step", {"off", "1", "4", "99"}},
                  {"view", {"architecture", "photo", "layer", "all"}},
                  {"reload", {"0", "3", "101"}}}});

  all.push_back({"lesson",
                 {{"file",
                   {lessons + "en/01-convolution.md", lessons + "pt-BR/04-dilation.md",
                    lessons + "en/09-colorizer.md", scratch + "/junk.md", scratch + "/missing.md"}},
                  {"step", {"1", "2", "5", "0", "99"}},
                  {"language", {"en", "pt-BR", "fr"}},
                  {"answer", {"3", "3,5", "x"}}}});
  all.push_back({"about", {{"arch", {"advanced", "basic", "huge"}}}});
  return all;
}

// Every line of `state` applied to a fresh panel of the same kind.
void check_reopens(const std::string& id, const std::string& state, const std::string& after) {
  std::unique_ptr<Panel> fresh = create_panel(id);
  for (const auto& [key, value] : state_pairs(state)) {
    const Status applied = fresh->apply_setting(key, value);
    INFO("panel " << id << " after " << after << "\nstate:\n" << state);
    REQUIRE_MESSAGE(applied.ok(), key << "=" << value << ": " << applied.message());
  }
  INFO("panel " << id << " after " << after);
  REQUIRE(fresh->state_text() == state);
}

int sweep_steps() {
  const char* env = std::getenv("CONVLAB_SWEEP_STEPS");  // longer runs by hand
  return env ? std::max(1, std::atoi(env)) : 700;
}

}  // namespace

TEST_CASE("settings sweep: each panel's unknown-key message lists the keys swept here") {
  convlab::cli_test::TempDir scratch;
  for (const PanelPlan& plan : plans(scratch.path().string())) {
    const std::string message = create_panel(plan.id)->apply_setting("no_such_key", "1").message();
    CHECK(message.find("no_such_key") != std::string::npos);
    for (const auto& [key, values] : plan.keys) {
      INFO(plan.id << ": " << message);
      CHECK_MESSAGE(message.find(key) != std::string::npos, key);
    }
  }
}

TEST_CASE("settings sweep: random keys and values apply or name the key, and state_text reopens") {
  convlab::cli_test::TempDir scratch;
  std::ofstream(scratch.file("junk.png")) << "not a png";
  std::ofstream(scratch.file("junk.safetensors")) << "\x08\0\0\0\0\0\0\0{\"a\":1}";
  std::ofstream(scratch.file("junk.md")) << "# no steps\n::: quiz\n";
  const int steps = sweep_steps();
  for (const PanelPlan& plan : plans(scratch.path().string())) {
    std::vector<std::string> keys;
    for (const auto& [key, values] : plan.keys) keys.push_back(key);
    keys.push_back("no_such_key");
    int applied = 0, refused = 0;
    for (uint64_t seed : {1u, 2u, 3u}) {
      std::mt19937_64 rng(seed * 7919 + plan.id.size());
      std::unique_ptr<Panel> panel = create_panel(plan.id);
      for (int step = 0; step < steps; ++step) {
        const std::string& key = keys[std::uniform_int_distribution<size_t>(0, keys.size() - 1)(rng)];
        std::string value;
        const int pick = std::uniform_int_distribution<int>(0, 9)(rng);
        const auto found = plan.keys.find(key);
        if (pick < 5 && found != plan.keys.end() && !found->second.empty())
          value = found->second[std::uniform_int_distribution<size_t>(0, found->second.size() - 1)(rng)];
        else if (pick < 8)
          value =
              generic_values()[std::uniform_int_distribution<size_t>(0, generic_values().size() - 1)(rng)];
        else
          value = random_number_text(rng);
        const std::string what =
            key + "=" + value + " (seed " + std::to_string(seed) + ", step " + std::to_string(step) + ")";
        const Status status = panel->apply_setting(key, value);
        if (status.ok()) {
          ++applied;
        } else {
          ++refused;
          INFO(plan.id << ": " << what);
          REQUIRE_MESSAGE(status.message().find(key) != std::string::npos, status.message());
        }
        check_reopens(plan.id, panel->state_text(), what);
      }
    }
    MESSAGE("sweep " << plan.id << ": " << applied << " applied, " << refused << " refused");
    CHECK(applied > 0);
    CHECK(refused > 0);
  }
}

// Lesson controls: random `::: controls` blocks (show / hide / lock lines with
// the panel's control ids, other panels' ids and junk) in a one-step lesson.
// Lines made only of known keys and the panel's own ids pass `lesson check`;
// every other line gets a problem within the block, naming the unknown id or key.
TEST_CASE("settings sweep: lesson control lines pass or are refused, naming the id") {
  const Pool junk_ids{"zoom", "", " ", "STEP", "step ", "photo", "layers", "view", "export"};
  const Pool keys{"show", "hide", "lock"};
  int clean = 0, refused = 0;
  for (const std::string panel_id : {"conv", "tconv", "bn", "network"}) {
    const std::vector<std::string> ids = create_panel(panel_id)->control_ids();
    REQUIRE_FALSE(ids.empty());
    std::mt19937_64 rng(std::hash<std::string>{}(panel_id));
    for (int lesson_number = 0; lesson_number < 150; ++lesson_number) {
      std::string text =
          "---\ntitle: Sweep\nlanguage: en\n---\n## One\n::: panel " + panel_id + "\n:::\n::: controls\n";
      const int first_line = 9;  // the first control line
      const int lines = std::uniform_int_distribution<int>(1, 3)(rng);
      std::vector<std::pair<int, std::string>> bad;  // line, the id or key it must name
      for (int l = 0; l < lines; ++l) {
        const bool junk_key = std::uniform_int_distribution<int>(0, 9)(rng) == 0;
        const std::string key =
            junk_key ? "shown" : keys[std::uniform_int_distribution<size_t>(0, keys.size() - 1)(rng)];
        std::string list;
        const int count = std::uniform_int_distribution<int>(1, 3)(rng);
        for (int i = 0; i < count; ++i) {
          const bool junk = std::uniform_int_distribution<int>(0, 4)(rng) == 0;
          std::string id = junk ? junk_ids[std::uniform_int_distribution<size_t>(0, junk_ids.size() - 1)(rng)]
                                : ids[std::uniform_int_distribution<size_t>(0, ids.size() - 1)(rng)];
          const std::string trimmed = convlab::explore::setting_text::trim(id);
          // An empty item (a stray comma) is skipped, not refused.
          if (!trimmed.empty() && std::find(ids.begin(), ids.end(), trimmed) == ids.end())
            bad.emplace_back(first_line + l, trimmed);
          list += (i ? "," : "") + id;
        }
        if (junk_key) bad.emplace_back(first_line + l, key);
        text += key + "=" + list + "\n";
      }
      text += ":::\n";
      std::vector<lesson::Problem> problems;
      const lesson::Lesson parsed = lesson::parse_lesson(text, "sweep.md", problems);
      for (lesson::Problem& p : check_lesson_content(parsed)) problems.push_back(std::move(p));
      INFO(text << lesson::format_problems("sweep.md", problems));
      for (const lesson::Problem& p : problems) {
        CHECK(p.line > 0);
        CHECK_FALSE(p.message.empty());
      }
      if (bad.empty()) {
        CHECK(problems.empty());
        ++clean;
        continue;
      }
      ++refused;
      REQUIRE_FALSE(problems.empty());
      for (const auto& [line, name] : bad) {
        bool named = false;
        for (const lesson::Problem& p : problems)
          named = named ||
                  (p.line >= first_line - 1 && p.line <= line && p.message.find(name) != std::string::npos);
        CHECK_MESSAGE(named, "line " << line << " should name '" << name << "'");
      }
    }
  }
  MESSAGE("lesson controls sweep: " << clean << " passed, " << refused << " refused");
  CHECK(clean > 0);
  CHECK(refused > 0);
}
