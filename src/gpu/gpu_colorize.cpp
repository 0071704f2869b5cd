#include "gpu/gpu_colorize.h"

namespace convlab::gpu {

Result<RgbImage> colorize_gpu(GpuModel& model, GpuOps& ops, const RgbImage& image,
                              const ColorizeOptions& options, GpuColorizeTimes* times) {
  const Graph& graph = model.model().graph;
  if (image.width < 1 || image.height < 1 ||
      static_cast<int64_t>(image.pixels.size()) != int64_t{image.width} * image.height * 3)
    return make_error("the image is empty or its pixel buffer does not match ", image.width, "x",
                      image.height);
  if (options.category < 0 || options.category >= std::max(graph.categories(), 1))
    return make_error("category ", options.category, " is out of range: valid are 0 to ",
                      graph.categories() - 1);
  auto size = working_resolution(image.width, image.height, options.working_size, graph.size_multiple());
  if (!size) return size.error();

  // The model sees L at the working size (resized on the CPU with stb's filters, as colorize_cpu).
  RgbImage small;
  if (size->w != image.width || size->h != image.height) {
    auto resized = resize_image(image, size->w, size->h);
    if (!resized) return resized.error();
    small = std::move(resized).value();
  }
  auto small_rgb = GpuTensor::upload(image_to_tensor(small.pixels.empty() ? image : small));
  if (!small_rgb) return small_rgb.error();
  auto small_lab = ops.rgb_to_lab(*small_rgb);
  if (!small_lab) return small_lab.error();
  auto gray = ops.slice_channels(*small_lab, 0, 1);
  if (!gray) return gray.error();

  const int64_t category = options.category;
  auto run = model.run(std::move(gray).value(), std::span<const int64_t>(&category, 1));
  if (!run) return run.error();
  if (times) times->model_ms = run->total_ms;
  const GpuTensor& ab = run->values.at(graph.output());
  if (ab.shape().size() != 4 || ab.shape()[1] != 2)
    return make_error("the ", graph.name(), " model's output has shape ", shape_to_string(ab.shape()),
                      "; a colorizer must give (N, 2, H, W)");

  // a,b upsampled to the full size, joined with the full-resolution L.
  auto full_rgb = GpuTensor::upload(image_to_tensor(image));
  if (!full_rgb) return full_rgb.error();
  auto full_lab = ops.rgb_to_lab(*full_rgb);
  if (!full_lab) return full_lab.error();
  auto ab_full = ops.upsample_bilinear(ab, image.height, image.width);
  if (!ab_full) return ab_full.error();
  CONVLAB_TRY(ops.copy_channels(*ab_full, {&*full_lab, 1}));
  auto rgb = ops.lab_to_rgb(*full_lab);
  if (!rgb) return rgb.error();
  auto host = rgb->download();
  if (!host) return host.error();
  return tensor_to_image(*host);
}

}  // namespace convlab::gpu
