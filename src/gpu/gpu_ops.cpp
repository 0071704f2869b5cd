#include "gpu/gpu_ops.h"

#include <epoxy/gl.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace convlab::gpu {
namespace {

int to_int(int64_t v) { return static_cast<int>(v); }
unsigned groups(int64_t items, int64_t per_group) {
  return static_cast<unsigned>((items + per_group - 1) / per_group);
}

void set_int(unsigned program, const char* name, int64_t value) {
  glProgramUniform1i(program, glGetUniformLocation(program, name), to_int(value));
}

void set_float(unsigned program, const char* name, float value) {
  glProgramUniform1f(program, glGetUniformLocation(program, name), value);
}

// An `int name[MAX_RANK]` uniform: one entry per axis, the rest 0.
void set_axes(unsigned program, const char* name, std::span<const int64_t> values) {
  std::array<GLint, GpuOps::kMaxRank> padded{};
  for (size_t i = 0; i < values.size() && i < padded.size(); ++i) padded[i] = to_int(values[i]);
  glProgramUniform1iv(program, glGetUniformLocation(program, name), GpuOps::kMaxRank, padded.data());
}

void bind(unsigned binding, unsigned buffer) { glBindBufferBase(GL_SHADER_STORAGE_BUFFER, binding, buffer); }

Status check_dispatch(unsigned x, unsigned y, unsigned z, const char* op) {
  GLint limit[3] = {65535, 65535, 65535};
  for (GLuint i = 0; i < 3; ++i) glGetIntegeri_v(GL_MAX_COMPUTE_WORK_GROUP_COUNT, i, &limit[i]);
  if (x > static_cast<unsigned>(limit[0]) || y > static_cast<unsigned>(limit[1]) ||
      z > static_cast<unsigned>(limit[2]))
    return make_error(op, ": needs ", x, "x", y, "x", z, " work groups but this GPU allows at most ",
                      limit[0], "x", limit[1], "x", limit[2], ": use a smaller image");
  return {};
}

void dispatch(unsigned x, unsigned y, unsigned z) {
  glDispatchCompute(x, y, z);
  // Every later dispatch or read-back may consume what this one wrote.
  glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_BUFFER_UPDATE_BARRIER_BIT);
}

// One thread per element (or row) in work groups of `local` threads.
Status dispatch_flat(int64_t items, const char* op, int64_t local = 256) {
  const unsigned count = groups(items, local);
  CONVLAB_TRY(check_dispatch(count, 1, 1, op));
  if (items > 0) dispatch(count, 1, 1);
  return {};
}

Status check_slot(const GpuSlot& out, int64_t n, int64_t channels, int64_t h, int64_t w, const char* op) {
  if (!out.tensor || !out.tensor->valid()) return make_error(op, ": no output tensor given");
  const Shape& s = out.tensor->shape();
  if (s.size() != 4 || s[0] != n || s[2] != h || s[3] != w || out.channel_offset < 0 ||
      s[1] < out.channel_offset + channels)
    return make_error(op, ": the output tensor has shape ", shape_to_string(s), " but channels [",
                      out.channel_offset, ", ", out.channel_offset + channels, ") of a ", n, "x?x", h, "x", w,
                      " tensor are needed");
  return {};
}

// The work-group shape for a layer with `channels` outputs: 256 threads, a
// tile of WG_M*TM output channels by WG_N*TN pixels. Few output channels get a
// thin tile, so no thread computes channels that do not exist.
struct ConvTiling {
  int wg_m, tm, tn;
  int block_m() const { return wg_m * tm; }
  int block_n() const { return (256 / wg_m) * tn; }
  Defines defines() const {
    return {{"WG_M", std::to_string(wg_m)},
            {"WG_N", std::to_string(256 / wg_m)},
            {"TM", std::to_string(tm)},
            {"TN", std::to_string(tn)}};
  }
};
ConvTiling conv_tiling(int64_t channels) {
  if (channels >= 64) return {16, 4, 4};
  if (channels >= 32) return {16, 2, 4};
  if (channels >= 16) return {16, 1, 4};
  int wg_m = 1;
  while (wg_m < channels) wg_m *= 2;
  return {wg_m, 1, wg_m >= 4 ? 4 : wg_m};  // TN keeps the pixel tile <= 256 (shared memory)
}

Defines epilogue_defines(const ConvTiling& tiling, bool bias, const GpuEpilogue& epilogue) {
  Defines d = tiling.defines();
  d.push_back({"HAS_BIAS", bias ? "1" : "0"});
  d.push_back({"HAS_SCALE", epilogue.scale ? "1" : "0"});
  d.push_back({"HAS_SHIFT", epilogue.shift ? "1" : "0"});
  d.push_back({"RELU", epilogue.relu ? "1" : "0"});
  return d;
}

// groups >= 1 dividing both channel counts (the reference's rule).
Status check_groups(int groups, int64_t in_channels, int64_t out_channels, const char* op) {
  if (groups < 1 || in_channels % groups != 0 || out_channels % groups != 0)
    return make_error(op, ": groups ", groups, " must be at least 1 and divide both the ", in_channels,
                      " input channels and the ", out_channels, " output channels");
  return {};
}

Status check_vector(const GpuTensor* t, int64_t length, const char* what) {
  if (t && (t->shape().size() != 1 || t->shape()[0] != length))
    return make_error(what, " must have shape ", length, " but has ", shape_to_string(t->shape()));
  return {};
}

}  // namespace

GpuOps::GpuOps(ProgramCache& programs) : programs_(programs) {
  glGenBuffers(1, &dummy_buffer_);
  glBindBuffer(GL_SHADER_STORAGE_BUFFER, dummy_buffer_);
  const float zero[4] = {0, 0, 0, 0};
  glBufferData(GL_SHADER_STORAGE_BUFFER, sizeof(zero), zero, GL_STATIC_DRAW);
}

GpuOps::~GpuOps() { glDeleteBuffers(1, &dummy_buffer_); }

Result<unsigned> GpuOps::program(const std::string& file, const Defines& defines) {
  return programs_.get(file, defines);
}

void GpuOps::finish() { glFinish(); }

// ---- convolutions ----------------------------------------------------------

// What conv2d.comp and conv_transpose2d.comp share: sizes, buffers, output slot.
void GpuOps::bind_convolution(unsigned p, const GpuTensor& input, const GpuTensor& weight,
                              const GpuTensor* bias, const GpuEpilogue& epilogue, const GpuSlot& out,
                              int64_t channels_out, Size2d out_size, int groups) {
  const Shape& in = input.shape();
  const Shape& ws = weight.shape();
  glUseProgram(p);
  set_int(p, "C", in[1]), set_int(p, "H", in[2]), set_int(p, "W", in[3]), set_int(p, "G", groups);
  set_int(p, "O", channels_out), set_int(p, "OH", out_size.h), set_int(p, "OW", out_size.w);
  set_int(p, "KH", ws[2]), set_int(p, "KW", ws[3]);
  set_int(p, "out_channels_total", out.tensor->shape()[1]), set_int(p, "channel_offset", out.channel_offset);
  bind(0, input.buffer()), bind(1, weight.buffer()), bind(2, bias ? bias->buffer() : dummy_buffer_);
  bind(3, epilogue.scale ? epilogue.scale->buffer() : dummy_buffer_);
  bind(4, epilogue.shift ? epilogue.shift->buffer() : dummy_buffer_);
  bind(5, out.tensor->buffer());
}

Status GpuOps::conv2d(const GpuTensor& input, const GpuTensor& weight, const GpuTensor* bias,
                      const Conv2dParams& params, const GpuEpilogue& epilogue, GpuSlot out) {
  const Shape& in = input.shape();
  const Shape& ws = weight.shape();
  if (in.size() != 4) return make_error("conv2d: input must be N,C,H,W but has shape ", shape_to_string(in));
  if (params.groups < 1) return make_error("conv2d: groups ", params.groups, " must be at least 1");
  if (ws.size() != 4 || ws[1] * params.groups != in[1])
    return make_error("conv2d: weight must be O,", in[1] / params.groups, ",KH,KW for an input with ", in[1],
                      " channels",
                      params.groups > 1 ? " in " + std::to_string(params.groups) + " groups" : "",
                      " but has shape ", shape_to_string(ws));
  CONVLAB_TRY(check_groups(params.groups, in[1], ws[0], "conv2d"));
  CONVLAB_TRY(check_vector(bias, ws[0], "conv2d: bias"));
  CONVLAB_TRY(check_vector(epilogue.scale, ws[0], "conv2d: scale"));
  CONVLAB_TRY(check_vector(epilogue.shift, ws[0], "conv2d: shift"));
  auto size = conv2d_output_size({to_int(in[2]), to_int(in[3])}, {to_int(ws[2]), to_int(ws[3])}, params);
  if (!size) return with_context("conv2d: ", size.error());
  CONVLAB_TRY(check_slot(out, in[0], ws[0], size->h, size->w, "conv2d"));

  // One z slice per (image, group); the tile covers one group's filters.
  const int64_t group_filters = ws[0] / params.groups;
  const ConvTiling tiling = conv_tiling(group_filters);
  auto prog = program("conv2d.comp", epilogue_defines(tiling, bias != nullptr, epilogue));
  if (!prog) return prog.error();
  const unsigned p = *prog;
  const unsigned gx = groups(int64_t{size->h} * size->w, tiling.block_n()),
                 gy = groups(group_filters, tiling.block_m());
  const unsigned gz = static_cast<unsigned>(in[0] * params.groups);
  CONVLAB_TRY(check_dispatch(gx, gy, gz, "conv2d"));
  bind_convolution(p, input, weight, bias, epilogue, out, ws[0], *size, params.groups);
  set_int(p, "stride_h", params.stride_h), set_int(p, "stride_w", params.stride_w);
  set_int(p, "pad_top", params.padding.top), set_int(p, "pad_left", params.padding.left);
  set_int(p, "dil_h", params.dilation_h), set_int(p, "dil_w", params.dilation_w);
  if (gx && gy && gz) dispatch(gx, gy, gz);
  return {};
}

Result<GpuTensor> GpuOps::conv2d(const GpuTensor& input, const GpuTensor& weight, const GpuTensor* bias,
                                 const Conv2dParams& params, const GpuEpilogue& epilogue) {
  const Shape& in = input.shape();
  const Shape& ws = weight.shape();
  if (in.size() != 4 || ws.size() != 4)
    return make_error("conv2d: input must be N,C,H,W and weight O,C/groups,KH,KW; got ", shape_to_string(in),
                      " and ", shape_to_string(ws));
  auto size = conv2d_output_size({to_int(in[2]), to_int(in[3])}, {to_int(ws[2]), to_int(ws[3])}, params);
  if (!size) return with_context("conv2d: ", size.error());
  auto out = GpuTensor::allocate({in[0], ws[0], size->h, size->w});
  if (!out) return out.error();
  CONVLAB_TRY(conv2d(input, weight, bias, params, epilogue, GpuSlot{&*out, 0}));
  return std::move(out).value();
}

Status GpuOps::conv_transpose2d(const GpuTensor& input, const GpuTensor& weight, const GpuTensor* bias,
                                const ConvTranspose2dParams& params, const GpuEpilogue& epilogue,
                                GpuSlot out) {
  const Shape& in = input.shape();
  const Shape& ws = weight.shape();
  if (in.size() != 4)
    return make_error("conv_transpose2d: input must be N,C,H,W but has shape ", shape_to_string(in));
  if (params.groups < 1) return make_error("conv_transpose2d: groups ", params.groups, " must be at least 1");
  if (ws.size() != 4 || ws[0] != in[1])
    return make_error("conv_transpose2d: weight must be ", in[1], ",O/groups,KH,KW for an input with ", in[1],
                      " channels but has shape ", shape_to_string(ws));
  const int64_t channels_out = ws[1] * params.groups;
  CONVLAB_TRY(check_groups(params.groups, in[1], channels_out, "conv_transpose2d"));
  CONVLAB_TRY(check_vector(bias, channels_out, "conv_transpose2d: bias"));
  CONVLAB_TRY(check_vector(epilogue.scale, channels_out, "conv_transpose2d: scale"));
  CONVLAB_TRY(check_vector(epilogue.shift, channels_out, "conv_transpose2d: shift"));
  auto size =
      conv_transpose2d_output_size({to_int(in[2]), to_int(in[3])}, {to_int(ws[2]), to_int(ws[3])}, params);
  if (!size) return with_context("conv_transpose2d: ", size.error());
  CONVLAB_TRY(check_slot(out, in[0], channels_out, size->h, size->w, "conv_transpose2d"));

  // One z slice per (image, group, phase); the tile covers one group's filters.
  const ConvTiling tiling = conv_tiling(ws[1]);
  auto prog = program("conv_transpose2d.comp", epilogue_defines(tiling, bias != nullptr, epilogue));
  if (!prog) return prog.error();
  const unsigned p = *prog;
  // The largest phase (phase 0) has ceil(OH/s) x ceil(OW/s) outputs.
  const int64_t phase_rows = (size->h + params.stride_h - 1) / params.stride_h;
  const int64_t phase_cols = (size->w + params.stride_w - 1) / params.stride_w;
  const unsigned gx = groups(phase_rows * phase_cols, tiling.block_n()), gy = groups(ws[1], tiling.block_m());
  const unsigned gz = static_cast<unsigned>(in[0] * params.groups * params.stride_h * params.stride_w);
  CONVLAB_TRY(check_dispatch(gx, gy, gz, "conv_transpose2d"));
  bind_convolution(p, input, weight, bias, epilogue, out, channels_out, *size, params.groups);
  set_int(p, "stride_h", params.stride_h), set_int(p, "stride_w", params.stride_w);
  set_int(p, "pad_h", params.padding_h), set_int(p, "pad_w", params.padding_w);
  set_int(p, "dil_h", params.dilation_h), set_int(p, "dil_w", params.dilation_w);
  if (gx && gy && gz) dispatch(gx, gy, gz);
  return {};
}

Result<GpuTensor> GpuOps::conv_transpose2d(const GpuTensor& input, const GpuTensor& weight,
                                           const GpuTensor* bias, const ConvTranspose2dParams& params,
                                           const GpuEpilogue& epilogue) {
  const Shape& in = input.shape();
  const Shape& ws = weight.shape();
  if (in.size() != 4 || ws.size() != 4)
    return make_error("conv_transpose2d: input must be N,C,H,W and weight C,O/groups,KH,KW; got ",
                      shape_to_string(in), " and ", shape_to_string(ws));
  auto size =
      conv_transpose2d_output_size({to_int(in[2]), to_int(in[3])}, {to_int(ws[2]), to_int(ws[3])}, params);
  if (!size) return with_context("conv_transpose2d: ", size.error());
  if (params.groups < 1) return make_error("conv_transpose2d: groups ", params.groups, " must be at least 1");
  auto out = GpuTensor::allocate({in[0], ws[1] * params.groups, size->h, size->w});
  if (!out) return out.error();
  CONVLAB_TRY(conv_transpose2d(input, weight, bias, params, epilogue, GpuSlot{&*out, 0}));
  return std::move(out).value();
}

// ---- batch norm ---------------------------------------------------------------

Result<reference::ChannelStatistics> GpuOps::batch_norm_statistics(const GpuTensor& input) {
  const Shape& in = input.shape();
  if (in.size() != 4)
    return make_error("batch_norm: input must be N,C,H,W but has shape ", shape_to_string(in));
  if (in[0] * in[2] * in[3] == 0)
    return make_error("batch_norm: the input ", shape_to_string(in), " has no values");
  auto prog = program("batch_norm_stats.comp");
  if (!prog) return prog.error();
  auto stats = GpuTensor::allocate({3 * in[1]});
  if (!stats) return stats.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "N", in[0]), set_int(p, "C", in[1]), set_int(p, "HW", in[2] * in[3]);
  bind(0, input.buffer()), bind(1, stats->buffer());
  CONVLAB_TRY(check_dispatch(static_cast<unsigned>(in[1]), 1, 1, "batch_norm"));
  dispatch(static_cast<unsigned>(in[1]), 1, 1);
  auto values = stats->download();
  if (!values) return values.error();
  reference::ChannelStatistics result;
  result.count = in[0] * in[2] * in[3];
  const auto c = static_cast<size_t>(in[1]);
  const auto& v = values->values();
  result.mean.assign(v.begin(), v.begin() + static_cast<long>(c));
  result.biased_var.assign(v.begin() + static_cast<long>(c), v.begin() + static_cast<long>(2 * c));
  result.unbiased_var.assign(v.begin() + static_cast<long>(2 * c), v.end());
  return result;
}

Result<GpuTensor> GpuOps::batch_norm2d(const GpuTensor& input, const Tensor& weight, const Tensor& bias,
                                       Tensor& running_mean, Tensor& running_var,
                                       const reference::BatchNormParams& params) {
  const Shape& in = input.shape();
  if (in.size() != 4)
    return make_error("batch_norm: input must be N,C,H,W but has shape ", shape_to_string(in));
  const int64_t channels = in[1];
  for (auto [t, name] : {std::pair{&weight, "weight"}, std::pair{&bias, "bias"},
                         std::pair<const Tensor*, const char*>{&running_mean, "running_mean"},
                         std::pair<const Tensor*, const char*>{&running_var, "running_var"}}) {
    if (t->shape() != Shape{channels})
      return make_error("batch_norm: ", name, " must have shape ", channels, " (one per channel) but has ",
                        shape_to_string(t->shape()));
  }
  Tensor mean({channels}), inv_std({channels});
  if (params.training) {
    auto stats = batch_norm_statistics(input);
    if (!stats) return stats.error();
    for (int64_t c = 0; c < channels; ++c) {
      const auto i = static_cast<size_t>(c);
      mean[c] = stats->mean[i];
      inv_std[c] = 1.0f / std::sqrt(stats->biased_var[i] + params.eps);
      running_mean[c] = (1.0f - params.momentum) * running_mean[c] + params.momentum * stats->mean[i];
      running_var[c] = (1.0f - params.momentum) * running_var[c] + params.momentum * stats->unbiased_var[i];
    }
  } else {
    for (int64_t c = 0; c < channels; ++c) {
      mean[c] = running_mean[c];
      inv_std[c] = 1.0f / std::sqrt(running_var[c] + params.eps);
    }
  }
  auto g_mean = GpuTensor::upload(mean);
  auto g_inv = GpuTensor::upload(inv_std);
  auto g_gamma = GpuTensor::upload(weight);
  auto g_beta = GpuTensor::upload(bias);
  for (auto* r : {&g_mean, &g_inv, &g_gamma, &g_beta})
    if (!*r) return r->error();
  return batch_norm_apply(input, *g_mean, *g_inv, *g_gamma, *g_beta);
}

Result<GpuTensor> GpuOps::batch_norm_apply(const GpuTensor& input, const GpuTensor& mean,
                                           const GpuTensor& inv_std, const GpuTensor& gamma,
                                           const GpuTensor& beta) {
  const Shape& in = input.shape();
  if (in.size() != 4)
    return make_error("batch_norm: input must be N,C,H,W but has shape ", shape_to_string(in));
  for (const GpuTensor* v : {&mean, &inv_std, &gamma, &beta})
    CONVLAB_TRY(check_vector(v, in[1], "batch_norm: a per-channel vector"));
  auto prog = program("batch_norm.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(in);
  if (!out) return out.error();
  const unsigned p = *prog;
  const int64_t total = input.numel();
  CONVLAB_TRY(check_dispatch(groups(total, 256), 1, 1, "batch_norm"));
  glUseProgram(p);
  set_int(p, "C", in[1]), set_int(p, "HW", in[2] * in[3]), set_int(p, "total", total);
  bind(0, input.buffer()), bind(1, mean.buffer()), bind(2, inv_std.buffer());
  bind(3, gamma.buffer()), bind(4, beta.buffer()), bind(5, out->buffer());
  if (total) dispatch(groups(total, 256), 1, 1);
  return std::move(out).value();
}

// ---- element-wise and data movement ------------------------------------------

Result<GpuTensor> GpuOps::relu(const GpuTensor& input) {
  auto prog = program("relu.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(input.shape());
  if (!out) return out.error();
  const int64_t total = input.numel();
  CONVLAB_TRY(check_dispatch(groups(total, 256), 1, 1, "relu"));
  glUseProgram(*prog);
  set_int(*prog, "total", total);
  bind(0, input.buffer()), bind(1, out->buffer());
  if (total) dispatch(groups(total, 256), 1, 1);
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::slice_channels(const GpuTensor& input, int64_t first, int64_t count) {
  const Shape& in = input.shape();
  if (in.size() != 4 || first < 0 || count < 1 || first + count > in[1])
    return make_error("slice_channels: channels [", first, ", ", first + count,
                      ") do not exist in a tensor of shape ", shape_to_string(in));
  auto out = GpuTensor::allocate({in[0], count, in[2], in[3]});
  if (!out) return out.error();
  const int64_t plane_bytes = in[2] * in[3] * static_cast<int64_t>(sizeof(float));
  glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT | GL_SHADER_STORAGE_BARRIER_BIT);
  glBindBuffer(GL_COPY_READ_BUFFER, input.buffer());  // GL 4.3: no direct-state-access copies
  glBindBuffer(GL_COPY_WRITE_BUFFER, out->buffer());
  for (int64_t n = 0; n < in[0]; ++n)
    glCopyBufferSubData(GL_COPY_READ_BUFFER, GL_COPY_WRITE_BUFFER, (n * in[1] + first) * plane_bytes,
                        n * count * plane_bytes, count * plane_bytes);
  return std::move(out).value();
}

Status GpuOps::copy_channels(const GpuTensor& input, GpuSlot out) {
  const Shape& in = input.shape();
  if (in.size() != 4)
    return make_error("concat: inputs must be N,C,H,W but one has shape ", shape_to_string(in));
  CONVLAB_TRY(check_slot(out, in[0], in[1], in[2], in[3], "concat"));
  auto prog = program("concat.comp");
  if (!prog) return prog.error();
  const int64_t total = input.numel();
  CONVLAB_TRY(check_dispatch(groups(total, 256), 1, 1, "concat"));
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "N", in[0]), set_int(p, "C", in[1]), set_int(p, "HW", in[2] * in[3]);
  set_int(p, "out_channels_total", out.tensor->shape()[1]), set_int(p, "channel_offset", out.channel_offset);
  bind(0, input.buffer()), bind(1, out.tensor->buffer());
  if (total) dispatch(groups(total, 256), 1, 1);
  return {};
}

Result<GpuTensor> GpuOps::concat_channels(std::span<const GpuTensor* const> inputs) {
  if (inputs.empty()) return make_error("concat: needs at least one input");
  const Shape& first = inputs[0]->shape();
  if (first.size() != 4)
    return make_error("concat: inputs must be N,C,H,W but the first has shape ", shape_to_string(first));
  int64_t channels = 0;
  for (const GpuTensor* t : inputs) {
    const Shape& s = t->shape();
    if (s.size() != 4 || s[0] != first[0] || s[2] != first[2] || s[3] != first[3])
      return make_error("concat: every input must be ", first[0], "xCx", first[2], "x", first[3],
                        " but one is ", shape_to_string(s));
    channels += s[1];
  }
  auto out = GpuTensor::allocate({first[0], channels, first[2], first[3]});
  if (!out) return out.error();
  int offset = 0;
  for (const GpuTensor* t : inputs) {
    CONVLAB_TRY(copy_channels(*t, GpuSlot{&*out, offset}));
    offset += to_int(t->shape()[1]);
  }
  return std::move(out).value();
}

Status GpuOps::embed_broadcast(const GpuTensor& table, const GpuTensor& categories, GpuSlot out) {
  const Shape& ts = table.shape();
  if (ts.size() != 2)
    return make_error("embed: the table must be rows,dim but has shape ", shape_to_string(ts));
  if (!out.tensor) return make_error("embed: no output tensor given");
  const Shape& os = out.tensor->shape();
  const int64_t n = categories.numel();
  CONVLAB_TRY(check_slot(out, n, ts[1], os.size() == 4 ? os[2] : 0, os.size() == 4 ? os[3] : 0, "embed"));
  auto prog = program("embed.comp");
  if (!prog) return prog.error();
  const int64_t total = n * ts[1] * os[2] * os[3];
  CONVLAB_TRY(check_dispatch(groups(total, 256), 1, 1, "embed"));
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "N", n), set_int(p, "dim", ts[1]), set_int(p, "HW", os[2] * os[3]);
  set_int(p, "out_channels_total", os[1]), set_int(p, "channel_offset", out.channel_offset);
  bind(0, table.buffer()), bind(1, categories.buffer()), bind(2, out.tensor->buffer());
  if (total) dispatch(groups(total, 256), 1, 1);
  return {};
}

namespace {
Result<GpuTensor> color_convert(ProgramCache& cache, const GpuTensor& input, const char* file,
                                const char* op) {
  const Shape& in = input.shape();
  if (in.size() != 4 || in[1] != 3)
    return make_error(op, ": input must be N,3,H,W but has shape ", shape_to_string(in));
  auto prog = cache.get(file);
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(in);
  if (!out) return out.error();
  const int64_t pixels = in[0] * in[2] * in[3];
  CONVLAB_TRY(check_dispatch(groups(pixels, 256), 1, 1, op));
  glUseProgram(*prog);
  set_int(*prog, "HW", in[2] * in[3]), set_int(*prog, "pixels", pixels);
  bind(0, input.buffer()), bind(1, out->buffer());
  if (pixels) dispatch(groups(pixels, 256), 1, 1);
  return std::move(out).value();
}
}  // namespace

Result<GpuTensor> GpuOps::rgb_to_lab(const GpuTensor& rgb) {
  return color_convert(programs_, rgb, "rgb_to_lab.comp", "rgb_to_lab");
}

Result<GpuTensor> GpuOps::lab_to_rgb(const GpuTensor& lab) {
  return color_convert(programs_, lab, "lab_to_rgb.comp", "lab_to_rgb");
}

Result<GpuTensor> GpuOps::upsample_bilinear(const GpuTensor& input, int64_t out_h, int64_t out_w) {
  const Shape& in = input.shape();
  if (in.size() != 4)
    return make_error("upsample_bilinear: input must be N,C,H,W but has shape ", shape_to_string(in));
  if (out_h < 1 || out_w < 1 || in[2] < 1 || in[3] < 1)
    return make_error("upsample_bilinear: sizes must be at least 1x1 (input ", shape_to_string(in),
                      ", output ", out_h, "x", out_w, ")");
  auto prog = program("upsample_bilinear.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate({in[0], in[1], out_h, out_w});
  if (!out) return out.error();
  const unsigned gx = groups(out_w, 16), gy = groups(out_h, 16), gz = static_cast<unsigned>(in[0] * in[1]);
  CONVLAB_TRY(check_dispatch(gx, gy, gz, "upsample_bilinear"));
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "H", in[2]), set_int(p, "W", in[3]), set_int(p, "OH", out_h), set_int(p, "OW", out_w);
  bind(0, input.buffer()), bind(1, out->buffer());
  if (gz) dispatch(gx, gy, gz);
  return std::move(out).value();
}

// ---- the ops of CNNs read from ONNX ----------------------------------------

namespace {

// The shaders that walk a shape size their per-axis arrays by MAX_RANK.
Defines rank_defines() { return {{"MAX_RANK", std::to_string(GpuOps::kMaxRank)}}; }

Status check_rank(const Shape& shape, const char* op, const char* what) {
  if (shape.size() > static_cast<size_t>(GpuOps::kMaxRank))
    return make_error(op, ": ", what, " ", shape_to_string(shape), " has ", shape.size(),
                      " axes; valid on the GPU: at most ", GpuOps::kMaxRank);
  return {};
}

// activation.comp and elementwise.comp number the ops in the enums' order.
static_assert(static_cast<int>(reference::UnaryOp::Identity) == 0 &&
                  static_cast<int>(reference::UnaryOp::Relu) == 1 &&
                  static_cast<int>(reference::UnaryOp::LeakyRelu) == 2 &&
                  static_cast<int>(reference::UnaryOp::Sigmoid) == 3 &&
                  static_cast<int>(reference::UnaryOp::Tanh) == 4 &&
                  static_cast<int>(reference::UnaryOp::Clip) == 5,
              "activation.comp's op numbers");
static_assert(static_cast<int>(reference::BinaryOp::Add) == 0 &&
                  static_cast<int>(reference::BinaryOp::Sub) == 1 &&
                  static_cast<int>(reference::BinaryOp::Mul) == 2 &&
                  static_cast<int>(reference::BinaryOp::Div) == 3 &&
                  static_cast<int>(reference::BinaryOp::PRelu) == 4,
              "elementwise.comp's op numbers");
constexpr int kExpandOp = 5;  // elementwise.comp: the first operand, broadcast

}  // namespace

Result<GpuTensor> GpuOps::pool2d(const GpuTensor& input, const PoolOptions& options) {
  auto shape = pool2d_output_shape(input.shape(), options);
  if (!shape) return shape.error();
  auto prog = program("pool2d.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(*shape);
  if (!out) return out.error();
  const Shape& in = input.shape();
  const Conv2dParams& w = options.params.window;
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "H", in[2]), set_int(p, "W", in[3]), set_int(p, "OH", (*shape)[2]),
      set_int(p, "OW", (*shape)[3]);
  set_int(p, "KH", options.kernel.h), set_int(p, "KW", options.kernel.w);
  set_int(p, "stride_h", w.stride_h), set_int(p, "stride_w", w.stride_w);
  set_int(p, "dil_h", w.dilation_h), set_int(p, "dil_w", w.dilation_w);
  set_int(p, "pad_top", w.padding.top), set_int(p, "pad_left", w.padding.left);
  set_int(p, "pad_bottom", w.padding.bottom), set_int(p, "pad_right", w.padding.right);
  set_int(p, "is_max", options.kind == PoolKind::Max),
      set_int(p, "count_include_pad", options.count_include_pad);
  set_int(p, "total", out->numel());
  bind(0, input.buffer()), bind(1, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "pool2d"));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::global_average_pool(const GpuTensor& input) {
  auto shape = reference::global_average_pool_shape(input.shape());
  if (!shape) return shape.error();
  auto prog = program("global_average_pool.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(*shape);
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "plane", shape_numel(Shape(input.shape().begin() + 2, input.shape().end())));
  set_int(p, "total", out->numel());
  bind(0, input.buffer()), bind(1, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "global_average_pool"));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::activation(const GpuTensor& input, const reference::UnaryParams& params) {
  CONVLAB_TRY(reference::check_unary(params));
  auto prog = program("activation.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(input.shape());
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "op", static_cast<int>(params.op)), set_int(p, "total", input.numel());
  set_float(p, "alpha", params.alpha), set_float(p, "lo", params.min), set_float(p, "hi", params.max);
  bind(0, input.buffer()), bind(1, out->buffer());
  CONVLAB_TRY(dispatch_flat(input.numel(), reference::unary_op_name(params.op)));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::elementwise(reference::BinaryOp op, const GpuTensor& a, const GpuTensor& b) {
  auto shape = reference::binary_shape(op, a.shape(), b.shape());
  if (!shape) return shape.error();
  CONVLAB_TRY(check_rank(*shape, reference::binary_op_name(op), "the broadcast shape"));
  auto prog = program("elementwise.comp", rank_defines());
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(*shape);
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "op", static_cast<int>(op)), set_int(p, "rank", static_cast<int64_t>(shape->size()));
  set_int(p, "total", out->numel());
  set_axes(p, "shape", *shape);
  set_axes(p, "stride_a", reference::broadcast_strides(a.shape(), *shape));
  set_axes(p, "stride_b", reference::broadcast_strides(b.shape(), *shape));
  bind(0, a.buffer()), bind(1, b.buffer()), bind(2, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), reference::binary_op_name(op)));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::expand(const GpuTensor& input, const Shape& shape) {
  auto out_shape = reference::broadcast_shapes(input.shape(), shape);
  if (!out_shape) return make_error("expand: ", out_shape.error().message);
  CONVLAB_TRY(check_rank(*out_shape, "expand", "the expanded shape"));
  auto prog = program("elementwise.comp", rank_defines());
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(*out_shape);
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "op", kExpandOp), set_int(p, "rank", static_cast<int64_t>(out_shape->size()));
  set_int(p, "total", out->numel());
  set_axes(p, "shape", *out_shape);
  const std::vector<int64_t> strides = reference::broadcast_strides(input.shape(), *out_shape);
  set_axes(p, "stride_a", strides);
  set_axes(p, "stride_b", strides);
  bind(0, input.buffer()), bind(1, input.buffer()), bind(2, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "expand"));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::gemm(const GpuTensor& a, const GpuTensor& b, const GpuTensor* c,
                               const reference::GemmParams& params) {
  auto dims = reference::gemm_dims(a.shape(), b.shape(), c ? &c->shape() : nullptr, params);
  if (!dims) return dims.error();
  auto prog = program("gemm.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate({dims->m, dims->n});
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "M", dims->m), set_int(p, "N", dims->n), set_int(p, "K", dims->k);
  set_int(p, "trans_a", params.trans_a), set_int(p, "trans_b", params.trans_b),
      set_int(p, "has_c", c != nullptr);
  set_float(p, "alpha", params.alpha), set_float(p, "beta", params.beta);
  set_int(p, "c_stride_row", c ? dims->c_strides[0] : 0),
      set_int(p, "c_stride_col", c ? dims->c_strides[1] : 0);
  bind(0, a.buffer()), bind(1, b.buffer()), bind(2, c ? c->buffer() : dummy_buffer_), bind(3, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "gemm"));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::matmul(const GpuTensor& a, const GpuTensor& b) {
  auto dims = reference::matmul_dims(a.shape(), b.shape());
  if (!dims) return dims.error();
  CONVLAB_TRY(check_rank(dims->batch, "matmul", "the broadcast batch shape"));
  auto prog = program("matmul.comp", rank_defines());
  if (!prog) return prog.error();
  // The promoted axes have size 1, so the final shape has the same layout.
  auto out = GpuTensor::allocate(dims->output);
  if (!out) return out.error();
  // The shader steps through each operand in floats, not whole matrices.
  std::vector<int64_t> stride_a = dims->batch_strides_a, stride_b = dims->batch_strides_b;
  for (int64_t& s : stride_a) s *= dims->m * dims->k;
  for (int64_t& s : stride_b) s *= dims->k * dims->n;
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "M", dims->m), set_int(p, "N", dims->n), set_int(p, "K", dims->k),
      set_int(p, "total", out->numel());
  set_int(p, "batch_rank", static_cast<int64_t>(dims->batch.size()));
  set_axes(p, "batch_shape", dims->batch);
  set_axes(p, "batch_stride_a", stride_a), set_axes(p, "batch_stride_b", stride_b);
  bind(0, a.buffer()), bind(1, b.buffer()), bind(2, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "matmul"));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::softmax(const GpuTensor& input, const reference::SoftmaxParams& params) {
  auto rows = reference::softmax_rows(input.shape(), params);
  if (!rows) return rows.error();
  auto prog = program("softmax.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(input.shape());
  if (!out) return out.error();
  const int64_t count = rows->outer * rows->inner;
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "row_length", rows->length), set_int(p, "inner", rows->inner), set_int(p, "rows", count);
  set_int(p, "log_softmax", params.log);
  bind(0, input.buffer()), bind(1, out->buffer());
  // One thread per row, each looping over its row: groups of 64 rows.
  CONVLAB_TRY(dispatch_flat(input.numel() == 0 ? 0 : count, params.log ? "log_softmax" : "softmax", 64));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::pad_constant(const GpuTensor& input, std::span<const int64_t> pads, float value) {
  auto shape = reference::pad_shape(input.shape(), pads);
  if (!shape) return shape.error();
  CONVLAB_TRY(check_rank(input.shape(), "pad", "the input"));
  auto prog = program("pad.comp", rank_defines());
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(*shape);
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "rank", static_cast<int64_t>(shape->size())), set_int(p, "total", out->numel());
  set_axes(p, "in_shape", input.shape()), set_axes(p, "out_shape", *shape);
  set_axes(p, "pad_begin", pads.first(shape->size()));
  set_float(p, "value", value);
  bind(0, input.buffer()), bind(1, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "pad"));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::resize(const GpuTensor& input, const Shape& output_shape,
                                 std::span<const double> scales, const reference::ResizeParams& params) {
  auto taps = reference::resize_taps(input.shape(), output_shape, scales, params);
  if (!taps) return taps.error();
  CONVLAB_TRY(check_rank(input.shape(), "resize", "the input"));
  // Every axis's taps in one table: (low, high) pairs and the high one's weight.
  std::vector<int64_t> tap_offset, tap_index;
  std::vector<float> tap_weight;
  for (const auto& axis : *taps) {
    tap_offset.push_back(static_cast<int64_t>(tap_weight.size()));
    for (const reference::ResizeTap& tap : axis) {
      tap_index.push_back(tap.low), tap_index.push_back(tap.high);
      tap_weight.push_back(static_cast<float>(tap.weight));
    }
  }
  auto g_index = GpuTensor::upload_ints(tap_index);
  if (!g_index) return g_index.error();
  const auto tap_count = static_cast<int64_t>(tap_weight.size());
  auto weights = Tensor::from_data({tap_count}, std::move(tap_weight));
  if (!weights) return weights.error();
  auto g_weight = GpuTensor::upload(*weights);
  if (!g_weight) return g_weight.error();
  auto prog = program("resize.comp", rank_defines());
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(output_shape);
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "rank", static_cast<int64_t>(output_shape.size())), set_int(p, "total", out->numel());
  set_int(p, "linear_mode", params.mode == reference::ResizeMode::Linear);
  set_axes(p, "out_shape", output_shape), set_axes(p, "in_stride", reference::strides_of(input.shape()));
  set_axes(p, "tap_offset", tap_offset);
  bind(0, input.buffer()), bind(1, g_index->buffer()), bind(2, g_weight->buffer()), bind(3, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "resize"));
  return std::move(out).value();
}

Result<GpuTensor> GpuOps::gather(const GpuTensor& data, std::span<const int64_t> indices,
                                 const Shape& indices_shape, int64_t axis) {
  auto dims = reference::gather_dims(data.shape(), indices, indices_shape, axis);
  if (!dims) return dims.error();
  auto g_indices = GpuTensor::upload_ints(indices);
  if (!g_indices) return with_context("gather: ", g_indices.error());
  auto prog = program("gather.comp");
  if (!prog) return prog.error();
  auto out = GpuTensor::allocate(dims->output);
  if (!out) return out.error();
  const unsigned p = *prog;
  glUseProgram(p);
  set_int(p, "rows", dims->rows), set_int(p, "inner", dims->inner);
  set_int(p, "count", static_cast<int64_t>(indices.size())), set_int(p, "total", out->numel());
  bind(0, data.buffer()), bind(1, g_indices->buffer()), bind(2, out->buffer());
  CONVLAB_TRY(dispatch_flat(out->numel(), "gather"));
  return std::move(out).value();
}

}  // namespace convlab::gpu
