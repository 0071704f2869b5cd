// Runs the real convlab binary as a subprocess (through /bin/sh, so stdout
// and stderr land in files) and gives back its exit code and output. Each
// test gets its own temporary directory, removed afterwards.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

namespace convlab::cli_test {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A fresh directory under the system temp dir, deleted on destruction.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("convlab_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// `env` entries are "NAME=value", set for this run only. `launcher` is put
// before the program as it is (shell text, e.g. "xvfb-run -a").
inline RunResult run_convlab(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                             const std::string& launcher = {}) {
  TempDir io;
  std::string command;
  for (const std::string& e : env) {
    // NAME=value: only the value may be quoted, or the shell sees a command.
    const size_t eq = e.find('=');
    command += e.substr(0, eq + 1);
    command += shell_quote(e.substr(eq + 1));
    command += ' ';
  }
  command += launcher;
  if (!launcher.empty()) command += ' ';
  command += shell_quote(CONVLAB_EXE);
  for (const std::string& a : args) {
    command += ' ';
    command += shell_quote(a);
  }
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
  command += " >";
  command += shell_quote(io.file("out"));
  command += " 2>";
  command += shell_quote(io.file("err"));
  command += " </dev/null";
  RunResult result;
  const int status = std::system(command.c_str());
  result.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  result.out = read_text(io.path() / "out");
  result.err = read_text(io.path() / "err");
  return result;
}

inline std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace convlab::cli_test
