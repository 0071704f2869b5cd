// Nothing lost when the process dies: SIGKILL at seeded random moments, while
// `convlab train` runs (checkpoints every epoch) and while the app's writers
// save settings, views, exports and models. After every kill each file is a
// complete old or new version, never a torn one, and --resume continues from
// the last complete epoch.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <regex>
#include <thread>

#include "cli/run_convlab.h"
#include "core/io/asset_paths.h"

extern char** environ;

using namespace convlab::cli_test;
namespace fs = std::filesystem;

namespace {

// Starts `args` (args[0] is the program) with stdout and stderr in files.
pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int failed = posix_spawn(&pid, argv[0], &files, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  REQUIRE_MESSAGE(failed == 0, "cannot start " << args[0]);
  return pid;
}

// SIGKILL after `delay`; true when the process was still running then.
bool kill_after(pid_t pid, std::chrono::milliseconds delay) {
  std::this_thread::sleep_for(delay);
  int status = 0;
  const bool running = waitpid(pid, &status, WNOHANG) == 0;
  if (running) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  return running;
}

// The folder's files that are neither `keep` nor the run's logs: what a kill
// left half-written (temporary files), for the report.
int leftovers(const fs::path& folder, const std::vector<std::string>& keep) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) ++count;
  }
  return count;
}

int last_epoch_done(const std::string& log) {
  static const std::regex done("epoch ([0-9]+) done");
  int last = 0;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), done); it != std::sregex_iterator(); ++it)
    last = std::stoi((*it)[1]);
  return last;
}

}  // namespace

TEST_CASE(
    "SIGKILL during training at 20 random moments: model and checkpoint stay whole, --resume continues") {
  TempDir dir;
  const auto photos = convlab::bundled_sample_photos();
  REQUIRE(photos.size() >= 6);
  fs::create_directories(dir.file("train"));
  {
    std::ofstream csv(dir.file("categories.csv"));
    csv << "image;category\n";
    for (size_t i = 0; i < 6; ++i) {
      const std::string name = "p" + std::to_string(i) + ".jpg";
      fs::copy_file(photos[i], dir.file("train/" + name));
      csv << name << ";" << i % 7 + 1 << "\n";
    }
  }
  const auto train = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args{
        CONVLAB_EXE, "train",   "--data", dir.file("train"), "--arch", "basic", "--size",
        "32",        "--batch", "2",      "--threads",       "2",      "-o",    dir.file("m.safetensors")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  std::mt19937 rng(20261207);
  std::uniform_int_distribution<int> moment_ms(150, 2500);
  int with_checkpoint = 0, without = 0;
  for (int kill_number = 1; kill_number <= 20; ++kill_number) {
    const int delay = moment_ms(rng);
    for (const char* file :
         {"m.safetensors", "m.ckpt.safetensors", "m.log.csv", "m.epochs.csv", "m.loss.png"})
      fs::remove(dir.file(file));
    const pid_t pid = spawn(train({"--epochs", "100000"}), dir.file("out"), dir.file("err"));
    const bool killed = kill_after(pid, std::chrono::milliseconds(delay));
    const std::string log = read_text(dir.path() / "err");
    INFO("kill " << kill_number << " at " << delay << " ms\n" << log);
    REQUIRE(killed);
    const int done = last_epoch_done(log);
    if (!fs::exists(dir.file("m.ckpt.safetensors"))) {
      // Killed before the first checkpoint was in place: at most the first
      // epoch had finished (its message comes before its save).
      CHECK(done <= 1);
      CHECK_FALSE(fs::exists(dir.file("m.safetensors")));
      ++without;
      continue;
    }
    ++with_checkpoint;
    // The model file is whole where it exists (a kill during the first save
    // may come between the checkpoint and the model): eval reads it, and a
    // torn safetensors file fails its header or size checks.
    if (fs::exists(dir.file("m.safetensors"))) {
      auto eval = run_convlab({"eval", "--data", dir.file("train"), "--weights", dir.file("m.safetensors"),
                               "--arch", "basic", "--size", "32"});
      INFO(eval.err);
      CHECK(eval.exit_code == 0);
    }
    // The checkpoint is whole and holds the last complete epoch, or the one
    // before when the kill came between an epoch's message and its save:
    // --resume starts at the next epoch's first step (step 1) and finishes epoch done + 1.
    auto args = train({"--resume", dir.file("m.ckpt.safetensors"), "--epochs", std::to_string(done + 1)});
    args.erase(args.begin());  // run_convlab adds the program
    const RunResult resumed = run_convlab(args);
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    const bool at_next = contains(resumed.err, "at epoch " + std::to_string(done + 1) + ", step 1");
    const bool at_done = contains(resumed.err, "at epoch " + std::to_string(done) + ", step 1");
    CHECK((at_next || at_done));
    CHECK(contains(resumed.err, "epoch " + std::to_string(done + 1) + " done"));
    // The epoch log was cut back to the checkpoint and continued: one row per epoch.
    std::ifstream rows(dir.file("m.epochs.csv"));
    int lines = 0;
    for (std::string line; std::getline(rows, line);) ++lines;
    CHECK(lines == done + 2);  // the header and epochs 1..done+1
  }
  MESSAGE("training killed 20 times: " << with_checkpoint << " with a checkpoint, " << without
                                       << " before the first");
  CHECK(with_checkpoint >= 10);
}

TEST_CASE(
    "SIGKILL while settings, views, exports and models are written: the file is the old or the new one") {
  struct Kind {
    const char* name;
    const char* file;
  };
  std::mt19937 rng(7);
  for (const Kind kind :
       {Kind{"settings", "settings.ini"}, Kind{"view", "state.view"}, Kind{"csv", "trace.csv"},
        Kind{"png", "frame.png"}, Kind{"gif", "steps.gif"}, Kind{"model", "m.safetensors"}}) {
    TempDir dir;
    fs::create_directories(dir.file("target"));
    // The two versions, written once each by the same code.
    std::string versions[2];
    auto started = std::chrono::steady_clock::now();
    for (int v = 0; v < 2; ++v) {
      const std::string reference = dir.file(std::string("v") + std::to_string(v) + "_" + kind.file);
      const pid_t pid = spawn({DURABILITY_WRITER, kind.name, reference, std::to_string(v)}, dir.file("out"),
                              dir.file("err"));
      int status = 0;
      waitpid(pid, &status, 0);
      INFO(std::string(kind.name) << ": " << read_text(dir.path() / "err"));
      REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
      versions[v] = read_text(reference);
      REQUIRE(!versions[v].empty());
    }
    REQUIRE(versions[0] != versions[1]);
    // Kill moments spread over about four writes.
    const auto two_writes =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    std::uniform_int_distribution<int> moment_ms(1,
                                                 std::max<int>(20, 2 * static_cast<int>(two_writes.count())));
    const std::string target = dir.file(std::string("target/") + kind.file);
    int old_or_new[3] = {0, 0, 0};  // none yet, version 0, version 1
    for (int kill_number = 1; kill_number <= 20; ++kill_number) {
      const int delay = moment_ms(rng);
      const pid_t pid =
          spawn({DURABILITY_WRITER, kind.name, target, "loop"}, dir.file("out"), dir.file("err"));
      const bool killed = kill_after(pid, std::chrono::milliseconds(delay));
      INFO(std::string(kind.name) << ": kill " << kill_number << " at " << delay << " ms; "
                     << read_text(dir.path() / "err"));
      REQUIRE(killed);
      if (!fs::exists(target)) {
        ++old_or_new[0];
        continue;
      }
      const std::string now = read_text(target);
      const bool whole = now == versions[0] || now == versions[1];
      CHECK_MESSAGE(whole, "torn file: " << now.size() << " bytes, versions have " << versions[0].size()
                                         << " and " << versions[1].size());
      ++old_or_new[now == versions[0] ? 1 : 2];
    }
    MESSAGE(std::string(kind.name) << ": 20 kills over " << moment_ms.max() << " ms: " << old_or_new[0]
                      << " before the first write, " << old_or_new[1] << " version 0, " << old_or_new[2]
                      << " version 1; " << leftovers(dir.path() / "target", {kind.file})
                      << " temporary file(s) left by the kills");
    CHECK(old_or_new[1] + old_or_new[2] > 0);
  }
}
