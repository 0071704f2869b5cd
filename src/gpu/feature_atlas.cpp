#include "gpu/feature_atlas.h"

#include <epoxy/gl.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/explore/colormap.h"

namespace convlab::gpu {
namespace {

unsigned upload_table(const std::array<explore::Rgb8, 256>& table) {
  std::vector<uint32_t> packed;
  packed.reserve(table.size());
  for (const explore::Rgb8& c : table)
    packed.push_back(uint32_t{c.r} | (uint32_t{c.g} << 8) | (uint32_t{c.b} << 16) | (0xFFu << 24));
  unsigned buffer = 0;
  glGenBuffers(1, &buffer);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, buffer);
  glBufferData(GL_SHADER_STORAGE_BUFFER, static_cast<GLsizeiptr>(packed.size() * sizeof(uint32_t)),
               packed.data(), GL_STATIC_DRAW);
  return buffer;
}

void set_int(unsigned program, const char* name, int value) {
  glProgramUniform1i(program, glGetUniformLocation(program, name), value);
}

}  // namespace

FeatureAtlas::FeatureAtlas(ProgramCache& programs) : programs_(programs) {}

FeatureAtlas::~FeatureAtlas() {
  if (texture_) glDeleteTextures(1, &texture_);
  const unsigned buffers[] = {diverging_lut_, sequential_lut_, ranges_};
  for (unsigned b : buffers)
    if (b) glDeleteBuffers(1, &b);
}

Status FeatureAtlas::ensure_colormaps() {
  if (diverging_lut_ == 0) diverging_lut_ = upload_table(explore::diverging_table());
  if (sequential_lut_ == 0) sequential_lut_ = upload_table(explore::sequential_table());
  if (ranges_ == 0) glGenBuffers(1, &ranges_);
  return {};
}

Status FeatureAtlas::ensure_texture(int width, int height) {
  GLint limit = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &limit);
  if (width > limit || height > limit)
    return make_error("feature maps: a ", width, "x", height, " atlas is larger than this GPU's ", limit,
                      " pixel texture limit");
  if (texture_ && width == width_ && height == height_) return {};
  if (texture_) glDeleteTextures(1, &texture_);
  glGenTextures(1, &texture_);
  glBindTexture(GL_TEXTURE_2D, texture_);
  glTexStorage2D(GL_TEXTURE_2D, 1, GL_RGBA8, width, height);
  // Nearest: an enlarged activation cell stays a crisp square.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  width_ = width;
  height_ = height;
  return {};
}

Status FeatureAtlas::render(const GpuTensor& activation, int first, const explore::AtlasLayout& layout,
                            std::span<const AtlasRange> ranges, bool diverging) {
  const Shape& s = activation.shape();
  if (s.size() != 4 || s[2] != layout.source_h || s[3] != layout.source_w || first < 0 ||
      first + layout.channels > s[1])
    return make_error("feature maps: channels [", first, ", ", first + layout.channels, ") of ",
                      layout.source_h, "x", layout.source_w, " maps were asked of an activation of shape ",
                      shape_to_string(s));
  if (static_cast<int>(ranges.size()) != layout.channels)
    return make_error("feature maps: ", ranges.size(), " ranges for ", layout.channels, " channels");
  CONVLAB_TRY(ensure_colormaps());
  CONVLAB_TRY(ensure_texture(layout.width(), layout.height()));
  auto program = programs_.get("feature_atlas.comp");
  if (!program) return program.error();

  std::vector<float> packed;
  packed.reserve(ranges.size() * 2);
  for (const AtlasRange& r : ranges) {
    packed.push_back(diverging ? 0.0f : r.lo);
    packed.push_back(diverging ? std::max(std::fabs(r.lo), std::fabs(r.hi)) : r.hi);
  }
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, ranges_);
  glBufferData(GL_SHADER_STORAGE_BUFFER, static_cast<GLsizeiptr>(packed.size() * sizeof(float)),
               packed.data(), GL_DYNAMIC_DRAW);

  const unsigned p = *program;
  glUseProgram(p);
  set_int(p, "H", layout.source_h);
  set_int(p, "W", layout.source_w);
  set_int(p, "first", first);
  set_int(p, "channels", layout.channels);
  set_int(p, "columns", layout.columns);
  set_int(p, "tile_h", layout.tile_h);
  set_int(p, "tile_w", layout.tile_w);
  set_int(p, "gap", layout.gap);
  set_int(p, "diverging", diverging ? 1 : 0);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, activation.buffer());
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 1, ranges_);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 2, diverging ? diverging_lut_ : sequential_lut_);
  glBindImageTexture(0, texture_, 0, GL_FALSE, 0, GL_WRITE_ONLY, GL_RGBA8);
  glDispatchCompute(static_cast<GLuint>((width_ + 15) / 16), static_cast<GLuint>((height_ + 15) / 16), 1);
  // ImGui samples the texture next.
  glMemoryBarrier(GL_TEXTURE_FETCH_BARRIER_BIT | GL_SHADER_IMAGE_ACCESS_BARRIER_BIT);
  return {};
}

}  // namespace convlab::gpu
