#include "core/backend/backend.h"

namespace convlab {
namespace {

Status need_inputs(const OpArguments& args, size_t min, size_t max, OpKind kind) {
  if (args.inputs.size() < min || args.inputs.size() > max)
    return make_error(op_name(kind), " takes ",
                      min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max),
                      " input tensors but got ", args.inputs.size());
  return {};
}

}  // namespace

Result<Tensor> run_op(Backend& backend, OpKind kind, OpArguments& args) {
  // No default: -Werror=switch makes a new OpKind fail to compile until it is handled here.
  switch (kind) {
    case OpKind::Conv2d:
      CONVLAB_TRY(need_inputs(args, 2, 3, kind));
      return backend.conv2d(args.inputs[0], args.inputs[1],
                            args.inputs.size() > 2 ? &args.inputs[2] : nullptr, args.conv);
    case OpKind::ConvTranspose2d:
      CONVLAB_TRY(need_inputs(args, 2, 3, kind));
      return backend.conv_transpose2d(args.inputs[0], args.inputs[1],
                                      args.inputs.size() > 2 ? &args.inputs[2] : nullptr, args.tconv);
    case OpKind::BatchNorm2d:
      CONVLAB_TRY(need_inputs(args, 3, 3, kind));
      if (!args.running_mean || !args.running_var)
        return make_error("batch_norm needs running_mean and running_var tensors");
      return backend.batch_norm2d(args.inputs[0], args.inputs[1], args.inputs[2], *args.running_mean,
                                  *args.running_var, args.batch_norm);
    case OpKind::Relu:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.relu(args.inputs[0]);
    case OpKind::Concat: {
      CONVLAB_TRY(need_inputs(args, 1, 1024, kind));
      std::vector<const Tensor*> pointers;
      for (const Tensor& t : args.inputs) pointers.push_back(&t);
      return backend.concat_channels(pointers);
    }
    case OpKind::EmbedBroadcast:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.embed_broadcast(args.inputs[0], args.categories, args.height, args.width);
    case OpKind::RgbToLab:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.rgb_to_lab(args.inputs[0]);
    case OpKind::LabToRgb:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.lab_to_rgb(args.inputs[0]);
    case OpKind::UpsampleBilinear:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.upsample_bilinear(args.inputs[0], args.height, args.width);
    case OpKind::Pool2d:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.pool2d(args.inputs[0], args.pool);
    case OpKind::GlobalAveragePool:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.global_average_pool(args.inputs[0]);
    case OpKind::Activation:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.activation(args.inputs[0], args.unary);
    case OpKind::Elementwise:
      CONVLAB_TRY(need_inputs(args, 2, 2, kind));
      return backend.elementwise(args.binary, args.inputs[0], args.inputs[1]);
    case OpKind::Reshape:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.reshape(args.inputs[0], args.shape);
    case OpKind::Gemm:
      CONVLAB_TRY(need_inputs(args, 2, 3, kind));
      return backend.gemm(args.inputs[0], args.inputs[1], args.inputs.size() > 2 ? &args.inputs[2] : nullptr,
                          args.gemm);
    case OpKind::MatMul:
      CONVLAB_TRY(need_inputs(args, 2, 2, kind));
      return backend.matmul(args.inputs[0], args.inputs[1]);
    case OpKind::Softmax:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.softmax(args.inputs[0], args.softmax);
    case OpKind::Pad:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.pad_constant(args.inputs[0], args.pads, args.pad_value);
    case OpKind::Resize:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.resize(args.inputs[0], args.shape, args.scales, args.resize);
    case OpKind::Gather:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.gather(args.inputs[0], args.indices, args.indices_shape, args.axis);
    case OpKind::Expand:
      CONVLAB_TRY(need_inputs(args, 1, 1, kind));
      return backend.expand(args.inputs[0], args.shape);
    case OpKind::Count:
      break;
  }
  return make_error("unknown op kind");
}

}  // namespace convlab
