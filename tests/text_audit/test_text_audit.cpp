// The text audit: the app's every screen (`--tour`: each panel's default and
// a few states, every lesson step) in each language and layout a class uses,
// drawn by a build of the app whose text drawing is watched
// (text_probe.cpp). It fails on text cut off by its window, panel or canvas
// edge, and, in the pseudo language where every translation is wrapped in
// ⟦ ⟧, on words drawn without going through tr(), naming screen and string.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "cli/run_convlab.h"
#include "text_audit/pseudo_text.h"

namespace {

using convlab::cli_test::read_text;
using convlab::cli_test::shell_quote;
using convlab::cli_test::TempDir;

struct Finding {
  std::string screen, kind, window, detail, text;
};

struct Tour {
  int exit_code = -1;
  std::string output;
  std::vector<Finding> findings;
};

Tour run_tour(const std::vector<std::string>& args, bool pseudo) {
  TempDir dir;
  const std::string report = dir.file("audit.tsv");
  std::string command = "CONVLAB_TEXT_AUDIT=";
  command += shell_quote(report);
  if (pseudo) command += " CONVLAB_TEXT_AUDIT_PSEUDO=1";
  command += " xvfb-run -a -s '-screen 0 1600x900x24' " CONVLAB_AUDIT_EXE " --tour ";
  command += shell_quote(dir.file("screens"));
  for (const std::string& arg : args) {
    command += ' ';
    command += shell_quote(arg);
  }
  command += " >";
  command += shell_quote(dir.file("out.txt"));
  command += " 2>&1";
  Tour tour;
  const int status = std::system(command.c_str());
  tour.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  tour.output = read_text(dir.file("out.txt"));
  std::istringstream lines(read_text(report));
  std::string line;
  while (std::getline(lines, line)) {
    Finding f;
    std::istringstream fields(line);
    std::getline(fields, f.screen, '\t');
    std::getline(fields, f.kind, '\t');
    std::getline(fields, f.window, '\t');
    std::getline(fields, f.detail, '\t');
    std::getline(fields, f.text);
    tour.findings.push_back(std::move(f));
  }
  return tour;
}

// Names and symbols that are the same in every language: the GPU's own
// description, file, photo, layer and op names (snake_case identifiers,
// PyTorch's names in the batch-norm formulas), model titles, units, keys.
bool is_name(const std::string& text) {
  static const std::regex names(
      R"(llvmpipe \(LLVM[^)]*\)|Mesa|OpenGL|GLSL|ConvLab|ECNN|NetworkAdvanced|NetworkBasic|GPU|CPU|\bBN\b|)"
      R"(Conv2d|ConvTranspose2d|BatchNorm2d|ReLU|Sigmoid|Tanh|\bLab\b|[A-Za-z0-9_./-]+\.(png|jpg|jpeg|md|view|)"
      R"(safetensors|gif|csv|json)\b|\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b|\b(inv_std|gamma|beta|momentum|eps|sqrt|relu|concat|)"
      R"(embed|conv\d*[a-z]*|deconv\d*|gray|category|out)\b|\bms\b|\bpx\b|Ctrl|Shift|\bF\d+\b|\bEsc\b|Page Up|Page Down)");
  // What is left must hold no word.
  return !convlab::text_audit::has_word(std::regex_replace(text, names, " "));
}

std::string list(const std::vector<Finding>& findings, size_t at_most = 60) {
  std::string text;
  for (size_t i = 0; i < findings.size() && i < at_most; ++i)
    text += "  [" + findings[i].screen + "] " + findings[i].window + ": '" + findings[i].text + "' (" +
            findings[i].detail + ")\n";
  if (findings.size() > at_most) text += "  ... and " + std::to_string(findings.size() - at_most) + " more\n";
  return text;
}

std::vector<Finding> of_kind(const Tour& tour, const std::string& kind) {
  std::vector<Finding> kept;
  std::set<std::string> seen;  // one line per (screen, text)
  for (const Finding& f : tour.findings)
    if (f.kind == kind && seen.insert(f.screen + "\t" + f.text).second) kept.push_back(f);
  return kept;
}

// "x0,y0-x1,y1" -> area in pixels.
double rect_area(const std::string& rect) {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  if (std::sscanf(rect.c_str(), "%f,%f-%f,%f", &x0, &y0, &x1, &y1) != 4) return 0;
  return static_cast<double>(x1 - x0) * static_cast<double>(y1 - y0);
}

// Presenter mode at 1280x720: on every lesson step, the driven panel's
// picture (the lesson target's views: everything beside the lesson text but
// the controls strip) gets at least 60% of the screen.
void check_picture_share(const Tour& tour) {
  std::map<std::string, double> picture;
  for (const Finding& f : tour.findings) {
    if (f.kind != "window" || f.screen.rfind("lesson-", 0) != 0) continue;
    const size_t target = f.window.find("lesson target");
    if (target == std::string::npos) continue;
    const size_t slash = f.window.find('/', target);
    // The target's own children only (deeper windows lie inside them).
    if (slash == std::string::npos || f.window.find('/', slash + 1) != std::string::npos) continue;
    if (f.window.find("controls", slash) != std::string::npos) continue;
    picture[f.screen] += rect_area(f.detail);
  }
  REQUIRE(picture.size() > 20);
  std::string small;
  for (const auto& [screen, area] : picture) {
    const double share = area / (1280.0 * 720.0);
    if (share < 0.6) small += "  " + screen + ": " + std::to_string(static_cast<int>(share * 100)) + "%\n";
  }
  INFO("lesson steps whose picture gets less than 60% of the screen:\n" << small);
  CHECK(small.empty());
}

// A number's box "x0,y0-x1,y1" from its detail ("21px 510,121-519,138 clip ...").
bool number_box(const std::string& detail, float& x0, float& y0, float& x1, float& y1) {
  const size_t space = detail.find(' ');
  return space != std::string::npos &&
         std::sscanf(detail.c_str() + space + 1, "%f,%f-%f,%f", &x0, &y0, &x1, &y1) == 4;
}

// The grid's cell pitch on a screen: the smallest distance between the
// centers of two numbers side by side in one row.
float cell_pitch(const std::vector<const Finding*>& numbers) {
  std::map<int, std::vector<float>> rows;  // center y (whole pixels) -> center xs
  for (const Finding* f : numbers) {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (number_box(f->detail, x0, y0, x1, y1))
      rows[static_cast<int>(std::lround(0.5f * (y0 + y1)))].push_back(0.5f * (x0 + x1));
  }
  float pitch = 1e9f;
  for (auto& [y, xs] : rows) {
    std::sort(xs.begin(), xs.end());
    for (size_t i = 1; i < xs.size(); ++i)
      if (xs[i] - xs[i - 1] > 4.0f) pitch = std::min(pitch, xs[i] - xs[i - 1]);
  }
  return pitch;
}

// Presenter mode at 1280x720, the first four lessons (small grids): the
// grids of the issue's example (dilation, step 2) and of the first lesson
// get cells of 40 px and more, and wherever cells are that big, every one-
// or two-digit number in them is drawn at least 20 px high. (Steps whose
// padded input cannot fit at 40 px beside kernel and output get smaller
// cells; their digits are half the cell.)
void check_grid_numbers(const Tour& tour) {
  static const std::regex lesson_with_grids(R"(^lesson-[a-zA-Z-]+-0[1-4]-)");
  static const std::regex must_fit(R"(^lesson-[a-zA-Z-]+-(01-convolution-[1-4]|04-dilation-2)$)");
  static const std::regex short_integer(R"(^-?[0-9]{1,2}$)");
  std::map<std::string, std::vector<const Finding*>> numbers;
  for (const Finding& f : tour.findings) {
    if (f.kind != "text" || !std::regex_search(f.screen, lesson_with_grids)) continue;
    if (f.window.find("canvas") == std::string::npos || !std::regex_match(f.text, short_integer)) continue;
    numbers[f.screen].push_back(&f);
  }
  REQUIRE(numbers.size() > 10);
  std::string problems;
  int big = 0;
  for (const auto& [screen, found] : numbers) {
    const float pitch = cell_pitch(found);
    if (std::regex_match(screen, must_fit) && pitch < 40.0f)
      problems += "  [" + screen + "] cells of " + std::to_string(static_cast<int>(pitch)) + " px\n";
    if (pitch < 40.0f) continue;
    ++big;
    for (const Finding* f : found)
      if (std::strtof(f->detail.c_str(), nullptr) < 20.0f)
        problems += "  [" + screen + "] '" + f->text + "' " + f->detail + "\n";
  }
  MESSAGE(big << " of " << numbers.size() << " grid steps have cells of 40 px or more");
  CHECK(big > 10);
  INFO("grids under 40 px where they must fit, or digits under 20 px in 40 px cells:\n"
       << problems.substr(0, 4000));
  CHECK(problems.empty());
}

void check_nothing_cut(const std::vector<std::string>& args) {
  const Tour tour = run_tour(args, false);
  INFO(tour.output);
  REQUIRE(tour.exit_code == 0);
  REQUIRE(tour.findings.size() > 100);  // the probe saw the screens' text
  const auto cut = of_kind(tour, "cut");
  INFO("text cut off by its window, panel or canvas edge:\n" << list(cut));
  CHECK(cut.empty());
  if (std::find(args.begin(), args.end(), "--presenter") != args.end()) {
    check_picture_share(tour);
    check_grid_numbers(tour);
  }
}

}  // namespace

TEST_CASE("every string the app draws goes through tr() (pseudo language)") {
  const Tour tour = run_tour({"--lang", "qps", "--window", "1600x900"}, true);
  INFO(tour.output);
  REQUIRE(tour.exit_code == 0);
  std::vector<Finding> untranslated;
  for (const Finding& f : of_kind(tour, "untranslated")) {
    // ImGui's implicit fallback window lies under the full-screen main
    // window, never seen; its title is ImGui's.
    if (f.window == "Debug##Default") continue;
    // The words outside ⟦ ⟧, with names and symbols taken out.
    if (!is_name(convlab::text_audit::outside_markers(f.text))) untranslated.push_back(f);
  }
  INFO("text drawn without tr() (screen, window, string):\n" << list(untranslated, 200));
  CHECK(untranslated.empty());
}

TEST_CASE("no text is cut off: English, 1600x900") {
  check_nothing_cut({"--lang", "en", "--window", "1600x900"});
}
TEST_CASE("no text is cut off: Portuguese, 1600x900") {
  check_nothing_cut({"--lang", "pt-BR", "--window", "1600x900"});
}
TEST_CASE("no text is cut off: English, 1280x720 at scale 1.5") {
  check_nothing_cut({"--lang", "en", "--window", "1280x720", "--scale", "1.5"});
}
TEST_CASE("no text is cut off: Portuguese, 1280x720 at scale 1.5") {
  check_nothing_cut({"--lang", "pt-BR", "--window", "1280x720", "--scale", "1.5"});
}
TEST_CASE("no text is cut off: English, presenter mode at 1280x720") {
  check_nothing_cut({"--lang", "en", "--window", "1280x720", "--presenter"});
}
TEST_CASE("no text is cut off: Portuguese, presenter mode at 1280x720") {
  check_nothing_cut({"--lang", "pt-BR", "--window", "1280x720", "--presenter"});
}
