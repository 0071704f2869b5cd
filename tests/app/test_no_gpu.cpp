// Without a GPU that can compute: a driver that stops below OpenGL 4.3
// (Mesa forced to 3.3), or no usable EGL at all. The app still opens, the
// network panel colorizes on the CPU, and the command line's --backend gpu
// falls back to the CPU with a message; nothing crashes.
#include <doctest/doctest.h>

#include "app/gui_run.h"

using namespace convlab::cli_test;

TEST_CASE("GUI: with OpenGL 3.3 only, the app opens and the network panel colorizes on the CPU") {
  REQUIRE(have_xvfb_run());
  TempDir dir;
  auto r = run_under_xvfb({"--screenshot", dir.file("net.png"), "--window", "1280x720", "--log", "--panel",
                           "network", "--set", "backend=gpu", "--set", "image=food_coffee"},
                          {"MESA_GL_VERSION_OVERRIDE=3.3"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, "convlab: colorized "));
  CHECK(contains(r.out, "(CPU,"));  // the panel's own line: which backend ran
  CHECK(contains(r.out, "convlab: ready network "));
  CHECK_FALSE(contains(r.out, "convlab: error"));
}

TEST_CASE("GUI: with OpenGL 3.3 only, every teaching panel still draws") {
  REQUIRE(have_xvfb_run());
  for (const char* panel : {"conv", "tconv", "bn", "lesson", "about"}) {
    TempDir dir;
    const std::string png = dir.file("panel.png");
    auto r = run_under_xvfb({"--screenshot", png, "--window", "1280x720", "--panel", panel},
                            {"MESA_GL_VERSION_OVERRIDE=3.3"});
    INFO(panel << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    auto image = convlab::load_image(png);
    REQUIRE(image.ok());
    CHECK(variance(image.value()) > 100.0);
  }
}

TEST_CASE("CLI: --backend gpu falls back to the CPU, with a message, below OpenGL 4.3 and without EGL") {
  for (const char* env :
       {"MESA_GL_VERSION_OVERRIDE=3.3", "__EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent/egl.json"}) {
    TempDir dir;
    auto r = run_convlab({"colorize", std::string(CONVLAB_SOURCE_DIR) + "/assets/samples/food_coffee.jpg",
                          "--outdir", dir.path().string(), "-c", "food", "--backend", "gpu"},
                         {env});
    INFO(env << ": " << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(contains(r.err, "running on the CPU instead"));
    CHECK(std::filesystem::exists(dir.path() / "food_coffee_color.jpg"));
  }
}
