// What the network session needs from a device that runs the colorizer
// faster than the CPU path (the desktop's OpenGL compute shaders): a pass it
// can step a few layers per frame, and the activations it leaves on the
// device. The session knows nothing of OpenGL; where a platform has no such
// device (WebGL2 has no compute shaders), there is no accelerator and the
// session runs on the CPU.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/base/tensor.h"

namespace convlab::session {

// The activations of a finished pass, kept where they were computed.
class DeviceValues {
 public:
  virtual ~DeviceValues() = default;
  virtual Result<Tensor> download(const std::string& name) const = 0;
};

struct AcceleratedRun {
  std::vector<std::string> order;  // node names with values, in graph order
  double timer_ms = 0;             // the device's own timers' total
  Tensor ab;                       // the prediction (1, 2, h, w), on the host
  std::shared_ptr<DeviceValues> values;
};

class AcceleratedPass {
 public:
  virtual ~AcceleratedPass() = default;
  virtual size_t step_count() const = 0;
  virtual size_t steps_done() const = 0;
  bool done() const { return steps_done() == step_count(); }
  // The value the next step makes ("c1"); empty when done.
  virtual std::string next_result() const = 0;
  // Runs the next step and waits for it, so the caller's clock measures it.
  virtual Status step() = 0;
  // After the last step.
  virtual Result<AcceleratedRun> finish() = 0;
};

// Bound to one model (its weights are uploaded once).
class Accelerator {
 public:
  virtual ~Accelerator() = default;
  // gray (1, 1, H, W); every node's value kept, unfused, for inspection.
  virtual Result<std::unique_ptr<AcceleratedPass>> begin(const Tensor& gray, int64_t category) = 0;
  // Any graph (a model read from ONNX), a tensor per input; every node kept.
  // The run's `ab` is then the graph's first output.
  virtual Result<std::unique_ptr<AcceleratedPass>> begin_graph(const std::map<std::string, Tensor>& inputs) {
    (void)inputs;
    return Error{"this device runs only the colorizer"};
  }
};

}  // namespace convlab::session
