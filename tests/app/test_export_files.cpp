// Export helpers: GIF frame plans, frame shrinking, fresh file names, atomic
// text writes.
#include <doctest/doctest.h>

#include <filesystem>

#include "app/export_files.h"
#include "cli/run_convlab.h"

using namespace convlab;
using namespace convlab::app;

TEST_CASE("GIF recording: every step when few, evenly spaced plus the last when many") {
  GifRecording few("a.gif", 9);
  CHECK(few.stride() == 1);
  CHECK(few.planned_steps() == std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8});

  GifRecording many("b.gif", 4096, 240);
  CHECK(many.planned_steps().size() <= 240);
  CHECK(many.planned_steps().front() == 0);
  CHECK(many.planned_steps().back() == 4095);
  CHECK(many.stride() == 18);  // ceil(4095 / 239)
  for (size_t i = 1; i + 1 < many.planned_steps().size(); ++i)
    CHECK(many.planned_steps()[i] - many.planned_steps()[i - 1] == many.stride());

  GifRecording exact("c.gif", 240, 240);
  CHECK(exact.stride() == 1);
  CHECK(exact.planned_steps().size() == 240);

  GifRecording none("d.gif", 0);
  CHECK(none.planned_steps().empty());
  CHECK_FALSE(none.next_step().has_value());
  CHECK_FALSE(none.write().ok());
}

TEST_CASE("GIF recording: frames arrive in order and the file is written") {
  cli_test::TempDir dir;
  GifRecording gif(dir.file("steps.gif"), 3);
  for (int expected = 0; expected < 3; ++expected) {
    auto step = gif.next_step();
    REQUIRE(step.has_value());
    CHECK(*step == expected);
    explore::RgbaFrame frame{4, 2, std::vector<uint8_t>(4 * 2 * 4, static_cast<uint8_t>(expected * 60))};
    CHECK_FALSE(gif.complete());
    gif.add_frame(frame);
  }
  CHECK_FALSE(gif.next_step().has_value());
  CHECK(gif.complete());
  REQUIRE(gif.write().ok());
  CHECK(std::filesystem::file_size(dir.file("steps.gif")) > 20);

  GifRecording resized(dir.file("bad.gif"), 2);
  resized.add_frame({4, 2, std::vector<uint8_t>(32, 0)});
  resized.add_frame({2, 2, std::vector<uint8_t>(16, 0)});
  Status refused = resized.write();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.message().find("changed size") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("bad.gif")));
}

TEST_CASE("shrink_frame: box-averages down to the width asked, keeping the aspect") {
  explore::RgbaFrame frame{4, 2, {}};
  // Left half black, right half white.
  for (int y = 0; y < 2; ++y)
    for (int x = 0; x < 4; ++x)
      for (int k = 0; k < 4; ++k) frame.pixels.push_back(x < 2 ? 0 : 255);
  const explore::RgbaFrame half = shrink_frame(frame, 2);
  CHECK(half.width == 2);
  CHECK(half.height == 1);
  CHECK(half.pixels[0] == 0);
  CHECK(half.pixels[4] == 255);
  const explore::RgbaFrame one = shrink_frame(frame, 1);
  CHECK(one.pixels[0] == 128);                // (0 + 0 + 255 + 255 ...) / 8, rounded
  CHECK(shrink_frame(frame, 10).width == 4);  // never enlarged
}

TEST_CASE("export paths are fresh; text files are written whole") {
  cli_test::TempDir dir;
  const std::string folder = dir.file("exports/nested");
  auto first = fresh_export_path(folder, "conv", "png");
  REQUIRE(first.ok());
  CHECK(std::filesystem::is_directory(folder));
  REQUIRE(write_text_file(first.value(), "one").ok());
  auto second = fresh_export_path(folder, "conv", "png");
  REQUIRE(second.ok());
  CHECK(second.value() != first.value());

  Status bad = write_text_file(dir.file("missing/folder/x.csv"), "x");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.message().find("missing/folder/x.csv") != std::string::npos);
  auto blocked = fresh_export_path(first.value(), "conv", "png");  // a file, not a folder
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.message().find("not a folder") != std::string::npos);
  CHECK_FALSE(fresh_export_path("", "conv", "png").ok());
}
