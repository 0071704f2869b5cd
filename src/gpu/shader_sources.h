// The compute shaders, embedded in the binary at build time from shaders/.
#pragma once

#include <string>
#include <vector>

namespace convlab::gpu {

struct EmbeddedShader {
  std::string name;    // file name, e.g. "conv2d.comp"
  std::string source;  // the file's text
};

const std::vector<EmbeddedShader>& embedded_shaders();

}  // namespace convlab::gpu
