// Compute programs: shader sources (embedded, or read from a folder a student
// is editing) compiled on first use with per-variant #defines and cached.
// A compile error names the shader file and line and quotes the driver.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/base/result.h"

namespace convlab::gpu {

using Defines = std::vector<std::pair<std::string, std::string>>;  // NAME -> value

class ProgramCache {
 public:
  // shader_dir empty: use the embedded sources.
  explicit ProgramCache(std::string shader_dir = {});
  ~ProgramCache();
  ProgramCache(const ProgramCache&) = delete;
  ProgramCache& operator=(const ProgramCache&) = delete;

  // GL program name for `file` ("conv2d.comp") compiled with `defines`.
  Result<unsigned> get(const std::string& file, const Defines& defines = {});
  const std::string& shader_dir() const { return shader_dir_; }

 private:
  Result<std::string> source_of(const std::string& file);
  std::string shader_dir_;
  std::map<std::string, unsigned> programs_;
};

// Inserts the defines after the #version line and resets line numbering with
// #line so the driver's messages point at the file's own lines.
Result<std::string> with_defines(const std::string& source, const Defines& defines, const std::string& file);
// Rewrites a driver log ("0:12(5): error: ...") to "conv2d.comp:12: error: ...".
std::string annotate_compile_log(const std::string& log, const std::string& file);

}  // namespace convlab::gpu
