// `convlab train` and `convlab eval` end to end on a tiny data set made from
// the bundled photos: files written, resume continues exactly, Ctrl-C saves
// a checkpoint, eval prints the three scores, bad input is refused.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/run_convlab.h"
#include "core/io/asset_paths.h"
#include "core/io/image_io.h"

using namespace convlab::cli_test;
namespace fs = std::filesystem;

namespace {

// DIR/train (6 photos), DIR/test (3 photos), DIR/categories.csv; the
// categories are 1-7 in turn, or 1 and 2 in turn (3 training photos each).
void make_data(const TempDir& dir, bool two_categories = false) {
  const auto photos = convlab::bundled_sample_photos();
  REQUIRE(photos.size() >= 9);
  fs::create_directories(dir.file("train"));
  fs::create_directories(dir.file("test"));
  std::ofstream csv(dir.file("categories.csv"));
  csv << "image;category\n";
  for (size_t i = 0; i < 9; ++i) {
    const std::string name = std::string("p").append(std::to_string(i)).append(".jpg");
    fs::copy_file(photos[i], dir.file(std::string(i < 6 ? "train/" : "test/").append(name)));
    csv << name << ";" << (two_categories ? i % 2 : i % 7) + 1 << "\n";
  }
  csv << "broken row\n";
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> train_args(const TempDir& dir, const std::string& out, int epochs) {
  return {
      "train", "--data",   dir.file("train"),      "--arch",    "basic", "--size", "32",         "--batch",
      "2",     "--epochs", std::to_string(epochs), "--threads", "2",     "-o",     dir.file(out)};
}

}  // namespace

TEST_CASE("train writes the model, log, curve and checkpoint; resume continues exactly") {
  TempDir dir;
  make_data(dir);
  auto straight = run_convlab(train_args(dir, "straight/m.safetensors", 2));
  INFO(straight.out << straight.err);
  REQUIRE(straight.exit_code == 0);
  CHECK(contains(straight.err, "skipped"));  // the broken row is listed
  CHECK(contains(straight.err, "epoch 2 done"));
  for (const char* file : {"m.safetensors", "m.log.csv", "m.loss.png", "m.ckpt.safetensors"})
    CHECK(fs::exists(dir.file(std::string("straight/").append(file))));
  auto curve = convlab::load_image(dir.file("straight/m.loss.png"));
  REQUIRE(curve.ok());
  CHECK(curve->width == 960);

  // One epoch, then resume to two: the same weights as two epochs in one go.
  auto first = run_convlab(train_args(dir, "resumed/m.safetensors", 1));
  REQUIRE(first.exit_code == 0);
  auto args = train_args(dir, "resumed/m.safetensors", 2);
  args.push_back("--resume");
  args.push_back(dir.file("resumed/m.ckpt.safetensors"));
  auto second = run_convlab(args);
  INFO(second.out << second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(contains(second.err, "resuming"));
  CHECK(read_bytes(dir.file("resumed/m.safetensors")) == read_bytes(dir.file("straight/m.safetensors")));

  // The trained model colorizes.
  auto colorized =
      run_convlab({"colorize", dir.file("test/p6.jpg"), "-o", dir.file("c.png"), "-c", "7", "--arch", "basic",
                   "--weights", dir.file("straight/m.safetensors"), "--size", "32"});
  CHECK(colorized.exit_code == 0);

  auto eval = run_convlab({"eval", "--data", dir.file("test"), "--arch", "basic", "--size", "32", "--weights",
                           dir.file("straight/m.safetensors"), "--sheet", dir.file("sheet.png")});
  INFO(eval.out << eval.err);
  REQUIRE(eval.exit_code == 0);
  CHECK(contains(eval.out, "3 test photos"));
  CHECK(contains(eval.out, "gray (a = b = 0)"));
  CHECK(contains(eval.out, "category mean"));
  CHECK(contains(eval.out, "model"));
  CHECK(contains(eval.out, "chroma ratio"));
  CHECK(contains(eval.out, "per category"));
  // p6, p7, p8: categories 7, 1, 2, one photo each.
  for (const char* row : {"1 food ", "2 animals ", "7 outdoor "}) CHECK(contains(eval.out, row));
  CHECK_FALSE(contains(eval.out, "3 people "));
  auto sheet = convlab::load_image(dir.file("sheet.png"));
  REQUIRE(sheet.ok());
  CHECK(sheet->height > 3 * 32);
}

namespace {

std::vector<std::string> csv_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(read_text(path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A row of OUT.epochs.csv without its seconds (the third field).
std::string without_seconds(const std::string& row) {
  const size_t second = row.find(',', row.find(',') + 1), third = row.find(',', second + 1);
  return row.substr(0, second) + row.substr(third);
}

}  // namespace

TEST_CASE("train validates on a held-out slice, keeps the best weights; resume restores it exactly") {
  TempDir dir;
  make_data(dir, true);
  const auto validated = [&](const std::string& out, int epochs) {
    auto args = train_args(dir, out, epochs);
    for (const char* a : {"--val-fraction", "0.34", "--val-sizes", "32,64", "--patience", "3", "--scale-aug",
                          "2", "--chroma-weight", "1.5"})
      args.push_back(a);
    return args;
  };
  auto straight = run_convlab(validated("straight/m.safetensors", 5));
  INFO(straight.out << straight.err);
  REQUIRE(straight.exit_code == 0);
  // One of the three photos of each of the two categories is held out.
  CHECK(contains(straight.err, "reading 4 images at 32x32"));
  CHECK(contains(straight.err, "2 validation images at 32 64, patience 3"));
  CHECK(contains(straight.err, "scale-aug 1 to 2"));
  CHECK(contains(straight.err, "chroma-weight 1.5"));
  CHECK(contains(straight.err, "epoch 1 done"));
  CHECK(contains(straight.err, "validation MSE"));
  CHECK(contains(straight.err, "new best"));
  const auto rows = csv_lines(dir.file("straight/m.epochs.csv"));
  REQUIRE(rows.size() >= 2);
  CHECK(
      rows[0] ==
      "epoch,steps,seconds,train_loss,val_mse,val_mse_32,val_chroma_32,val_mse_64,val_chroma_64,best_epoch");
  CHECK(rows[1].rfind("1,2,", 0) == 0);               // epoch 1 after 2 steps of 2 photos
  CHECK(rows[1].substr(rows[1].rfind(',')) == ",1");  // the first epoch is the best so far
  // Each row: the mean validation MSE is the mean of the two sizes'.
  for (size_t r = 1; r < rows.size(); ++r) {
    double f[10] = {};
    REQUIRE(std::sscanf(rows[r].c_str(), "%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &f[0], &f[1], &f[2],
                        &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &f[9]) == 10);
    CHECK(f[4] == doctest::Approx((f[5] + f[7]) / 2).epsilon(1e-4));
    CHECK(f[6] > 0.0);
    CHECK(f[9] >= 1);
  }
  const std::string last = rows.back();
  const int best_epoch = std::stoi(last.substr(last.rfind(',') + 1));

  // OUT.safetensors holds the best epoch's weights: a run that ends there writes the same file.
  auto shorter = run_convlab(validated("shorter/m.safetensors", best_epoch));
  REQUIRE(shorter.exit_code == 0);
  CHECK(read_bytes(dir.file("shorter/m.safetensors")) == read_bytes(dir.file("straight/m.safetensors")));

  // Two epochs, then resumed to the end: the same best weights, the same epoch log.
  auto first = run_convlab(validated("resumed/m.safetensors", 2));
  REQUIRE(first.exit_code == 0);
  auto args = train_args(dir, "resumed/m.safetensors", 5);
  args.push_back("--resume");
  args.push_back(dir.file("resumed/m.ckpt.safetensors"));
  auto second = run_convlab(args);  // patience, sizes and slice come from the checkpoint
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(contains(second.err, "val-fraction 0.34, patience 3"));
  CHECK(read_bytes(dir.file("resumed/m.safetensors")) == read_bytes(dir.file("straight/m.safetensors")));
  const auto resumed_rows = csv_lines(dir.file("resumed/m.epochs.csv"));
  REQUIRE(resumed_rows.size() == rows.size());
  for (size_t r = 0; r < rows.size(); ++r)
    CHECK(without_seconds(resumed_rows[r]) == without_seconds(rows[r]));
}

TEST_CASE("Ctrl-C during training saves a checkpoint that --resume takes") {
  TempDir dir;
  make_data(dir);
  // --preserve-status: the program's own exit code, not timeout's 124.
  std::string command = "timeout --preserve-status -s INT 4 ";
  command += shell_quote(CONVLAB_EXE);
  for (const std::string& a : train_args(dir, "m.safetensors", 100000)) {
    command += ' ';
    command += shell_quote(a);
  }
  command += " >";
  command += shell_quote(dir.file("out"));
  command += " 2>";
  command += shell_quote(dir.file("err"));
  const int status = std::system(command.c_str());
  const std::string err = read_text(dir.path() / "err");
  INFO(err);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  // timeout(1) sends SIGINT to the process and again to its process group: the
  // second one must not kill the run while it saves or before it says so.
  CHECK(contains(err, "interrupted; saved"));
  REQUIRE(fs::exists(dir.file("m.ckpt.safetensors")));
  auto args = train_args(dir, "m.safetensors", 1);
  args.push_back("--resume");
  args.push_back(dir.file("m.ckpt.safetensors"));
  auto resumed = run_convlab(args);  // already past epoch 1: nothing left to do, still a clean exit
  INFO(resumed.err);
  CHECK(resumed.exit_code == 0);
}

TEST_CASE("train and eval refuse bad input with a message") {
  TempDir dir;
  auto missing = run_convlab({"train", "--data", dir.file("nope"), "-o", dir.file("m.safetensors")});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, dir.file("nope")));
  auto size =
      run_convlab({"train", "--data", dir.file("x"), "--size", "30", "-o", dir.file("m.safetensors")});
  CHECK(size.exit_code == 2);
  CHECK(contains(size.err, "multiple of 16"));
  auto lr = run_convlab({"train", "--data", dir.file("x"), "--lr", "5", "-o", dir.file("m.safetensors")});
  CHECK(lr.exit_code == 2);
  CHECK(contains(lr.err, "--lr"));
  std::ofstream(dir.file("junk.safetensors")) << "junk";
  make_data(dir);
  auto resume = run_convlab({"train", "--data", dir.file("train"), "--resume", dir.file("junk.safetensors"),
                             "-o", dir.file("m.safetensors")});
  CHECK(resume.exit_code == 1);
  CHECK(contains(resume.err, "junk.safetensors"));
  auto eval = run_convlab({"eval", "--data", dir.file("test"), "--weights", dir.file("junk.safetensors")});
  CHECK(eval.exit_code == 1);
  CHECK(contains(eval.err, "junk.safetensors"));

  const auto train_with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"train", "--data", dir.file("train"),        "--arch", "basic", "--size",
                                  "32",    "-o",     dir.file("v.safetensors")};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_convlab(args);
  };
  auto fraction = train_with({"--val-fraction", "0.7"});
  CHECK(fraction.exit_code == 2);
  CHECK(contains(fraction.err, "--val-fraction 0.7 is out of range"));
  CHECK(contains(fraction.err, "valid: 0 (no validation) to 0.5"));
  auto patience = train_with({"--patience", "3"});
  CHECK(patience.exit_code == 2);
  CHECK(contains(patience.err, "--patience needs validation photos: add --val-fraction"));
  auto negative = train_with({"--val-fraction", "0.1", "--patience", "-1"});
  CHECK(negative.exit_code == 2);
  CHECK(contains(negative.err, "--patience -1 is out of range"));
  auto scale = train_with({"--scale-aug", "9"});
  CHECK(scale.exit_code == 2);
  CHECK(contains(scale.err, "--scale-aug 9 is out of range"));
  CHECK(contains(scale.err, "valid: 1 (off) to 4"));
  auto chroma = train_with({"--chroma-weight", "-1"});
  CHECK(chroma.exit_code == 2);
  CHECK(contains(chroma.err, "--chroma-weight -1 is out of range; valid: 0 (plain MSE) to 10"));
  auto sizes = train_with({"--val-fraction", "0.1", "--val-sizes", "32,30"});  // basic: multiples of 4
  CHECK(sizes.exit_code == 2);
  CHECK(contains(sizes.err, "--val-sizes 30 is not valid; valid: 16 to 512, multiples of 4"));
  // One photo per category: none can be held out.
  auto nothing_held = train_with({"--val-fraction", "0.1"});
  CHECK(nothing_held.exit_code == 1);
  CHECK(contains(nothing_held.err, "--val-fraction 0.1 holds out no photo"));
}

TEST_CASE("train --arch tinyvgg writes the classifier as ONNX with its card; model info opens it") {
  TempDir dir;
  make_data(dir);
  // A 2-epoch run of 16x16 photos and 2 filters into `folder` (the model
  // card and metadata name files without their folders, so two folders
  // give the same bytes).
  const auto train_into = [&](const std::string& folder) {
    return run_convlab({"train",
                        "--arch",
                        "tinyvgg",
                        "--data",
                        dir.file("train"),
                        "--test-data",
                        dir.file("test"),
                        "--size",
                        "16",
                        "--channels",
                        "2",
                        "--batch",
                        "2",
                        "--epochs",
                        "2",
                        "--threads",
                        "2",
                        "-o",
                        dir.file(folder + "tiny.onnx"),
                        "--card",
                        dir.file(folder + "tiny.md")});
  };
  auto trained = train_into("");
  REQUIRE_MESSAGE(trained.exit_code == 0, trained.err);
  CHECK(contains(trained.out, "wrote " + dir.file("tiny.onnx")));
  CHECK(contains(trained.out, "test accuracy"));
  CHECK(contains(trained.err, "epoch 2: train loss"));
  const std::string card = read_bytes(dir.file("tiny.md"));
  CHECK(contains(card, "convlab train --arch tinyvgg"));
  CHECK(contains(card, "Confusion matrix"));
  CHECK(contains(card, "| outdoor |"));
  auto info = run_convlab({"model", "info", dir.file("tiny.onnx")});
  REQUIRE_MESSAGE(info.exit_code == 0, info.err);
  CHECK(contains(info.out, "MaxPool"));
  CHECK(contains(info.out, "Gemm"));
  // The same command again: the same bytes (seeded order, flips and initial
  // weights; the card and metadata name files without their folders).
  fs::create_directories(dir.file("again"));
  auto again = train_into("again/");
  REQUIRE(again.exit_code == 0);
  CHECK(read_bytes(dir.file("again/tiny.onnx")) == read_bytes(dir.file("tiny.onnx")));

  auto safetensors = run_convlab(
      {"train", "--arch", "tinyvgg", "--data", dir.file("train"), "-o", dir.file("x.safetensors")});
  CHECK(safetensors.exit_code == 2);
  CHECK(contains(safetensors.err, "OUT.onnx"));
  auto size = run_convlab(
      {"train", "--arch", "tinyvgg", "--data", dir.file("train"), "--size", "30", "-o", dir.file("x.onnx")});
  CHECK(size.exit_code == 2);
  CHECK(contains(size.err, "--size 30"));
  auto card_for_ecnn = run_convlab(
      {"train", "--data", dir.file("train"), "--card", dir.file("c.md"), "-o", dir.file("e.safetensors")});
  CHECK(card_for_ecnn.exit_code == 2);
  CHECK(contains(card_for_ecnn.err, "--arch tinyvgg"));
}
