#include "gpu/programs.h"

#include <epoxy/gl.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "gpu/shader_sources.h"

namespace convlab::gpu {

ProgramCache::ProgramCache(std::string shader_dir) : shader_dir_(std::move(shader_dir)) {}

ProgramCache::~ProgramCache() {
  for (auto& [key, program] : programs_) glDeleteProgram(program);
}

Result<std::string> ProgramCache::source_of(const std::string& file) {
  if (!shader_dir_.empty()) {
    const std::string path = shader_dir_ + "/" + file;
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return make_error("shader ", path,
                        ": cannot read it (a --shader-dir folder must hold every .comp file; copy ",
                        "the project's shaders/ folder and edit the copy)");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  for (const auto& shader : embedded_shaders())
    if (shader.name == file) return shader.source;
  return make_error("shader ", file, ": no shader of that name is built in");
}

Result<std::string> with_defines(const std::string& source, const Defines& defines, const std::string& file) {
  const size_t version = source.find("#version");
  if (version == std::string::npos) return make_error(file, ":1: the shader must start with a #version line");
  const size_t line_end = source.find('\n', version);
  if (line_end == std::string::npos) return make_error(file, ": nothing after the #version line");
  int version_line = 1;
  for (size_t i = 0; i < line_end; ++i)
    if (source[i] == '\n') ++version_line;
  std::string out = source.substr(0, line_end + 1);
  for (const auto& [name, value] : defines) out += "#define " + name + " " + value + "\n";
  out += "#line " + std::to_string(version_line + 1) + "\n";
  out += source.substr(line_end + 1);
  return out;
}

std::string annotate_compile_log(const std::string& log, const std::string& file) {
  // Mesa: "0:12(5): error: ..."; NVIDIA: "0(12) : error C0000: ...".
  static const std::regex mesa(R"(^\s*\d+:(\d+)\((\d+)\):\s*)");
  static const std::regex nvidia(R"(^\s*\d+\((\d+)\)\s*:\s*)");
  std::istringstream in(log);
  std::string line, out;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, mesa))
      out += file + ":" + m[1].str() + ":" + m[2].str() + ": " + m.suffix().str() + "\n";
    else if (std::regex_search(line, m, nvidia))
      out += file + ":" + m[1].str() + ": " + m.suffix().str() + "\n";
    else if (!line.empty())
      out += file + ": " + line + "\n";
  }
  return out;
}

Result<unsigned> ProgramCache::get(const std::string& file, const Defines& defines) {
  std::string key = file;
  for (const auto& [name, value] : defines) key += "|" + name + "=" + value;
  if (auto found = programs_.find(key); found != programs_.end()) return found->second;

  auto raw = source_of(file);
  if (!raw) return raw.error();
  auto text = with_defines(*raw, defines, file);
  if (!text) return text.error();

  const GLuint shader = glCreateShader(GL_COMPUTE_SHADER);
  const char* source = text->c_str();
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    GLint length = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
    std::string log(static_cast<size_t>(std::max(length, 1)), '\0');
    glGetShaderInfoLog(shader, length, nullptr, log.data());
    glDeleteShader(shader);
    return make_error("shader ", file, " does not compile:\n", annotate_compile_log(log.c_str(), file));
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, shader);
  glLinkProgram(program);
  glDeleteShader(shader);
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    GLint length = 0;
    glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
    std::string log(static_cast<size_t>(std::max(length, 1)), '\0');
    glGetProgramInfoLog(program, length, nullptr, log.data());
    glDeleteProgram(program);
    return make_error("shader ", file, " does not link:\n", annotate_compile_log(log.c_str(), file));
  }
  programs_.emplace(key, program);
  return static_cast<unsigned>(program);
}

}  // namespace convlab::gpu
