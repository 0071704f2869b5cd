// The network panel: a photo goes in gray and comes out in color, and every
// layer in between can be opened. The colorizer runs on the GPU (a few
// compute-shader steps per frame) or the CPU (a worker thread) through
// session::NetworkSession; the architecture is drawn from the loaded graph
// (core/model/graph_layout); the layer inspector shows feature maps,
// statistics, kernels and batch-norm statistics, and opens a layer in the
// teaching panels with its real numbers.
//
// It opens any image model too (an ONNX file: --model, File > Open model,
// a dropped .onnx, model=PATH): the photo is prepared by the model's
// preprocessing recipe (core/model/preprocess.h, editable here and
// remembered per model), every layer is inspectable the same way, residual
// blocks fold into one box, and a classifier's output shows as its top 5
// classes with the softmax worked out.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/colorizer_model.h"
#include "app/controls_drawer.h"
#include "app/gl_texture.h"
#include "app/layer_inspector.h"
#include "app/model_opener.h"
#include "app/panel.h"
#include "core/model/class_scores.h"
#include "core/model/graph_layout.h"
#include "core/model/preprocess.h"
#include "session/network_session.h"

namespace convlab::app {

class NetworkPanel : public Panel {
 public:
  NetworkPanel();
  ~NetworkPanel() override;
  void draw(PanelContext& context) override;
  // image=PATH | sample name    category=NAME (English or Portuguese, or 0-7)
  // arch=advanced|basic   weights=PATH (safetensors, PyTorch state_dict names) | default
  // reload=N (load the photo N more times after each result: timing)
  // layer=NAME (a block such as c1, or one node such as conv1_bn)
  // backend=gpu|cpu    working_size=N (16..1024, the long side the model sees)
  // compare=side|wipe  wipe=0..1   zoom=CHANNEL (1-based) | off
  // inspect=maps|kernels|batchnorm (the layer inspector's tab)
  // step=N (step mode at block N, 1-based) | off
  // view=architecture|photo|layer (the tab shown when the window is small)
  // model=PATH (an ONNX file) | ecnn    fold=all|none | BLOCK (fold or unfold one)
  // image_size, color, pixel_range, mean, std, resize: the opened model's
  //   preprocessing (core/model/preprocess.h)
  Status apply_setting(const std::string& key, const std::string& value) override;
  bool on_file_dropped(const std::string& path) override;
  bool takes_files() const override { return true; }
  bool on_step(StepKey key) override;
  bool busy() const override;
  std::vector<std::string> control_ids() const override;
  std::string state_text() const override;

 private:
  ControlsDrawer controls_drawer_;
  Status ensure_session();
  Status use_model(std::shared_ptr<const ColorizerModel> colorizer);
  Status load_model_setting();  // from arch_ and weights_path_
  // An image model from a file (its layout, recipe and session); the panel
  // keeps the model it had when this fails.
  Status open_model(const std::string& path_or_name);  // a file, a bundled model's name, or "ecnn"
  Status set_recipe(Preprocess recipe);                // remembered for this model's path
  void set_layout(GraphLayout layout);                 // the full layout; blocks folded where there are many
  void refold();                                       // layout_ from full_layout_ and folded_
  void on_new_result();                                // shapes and class scores of the run
  const Model& model() const { return *model_; }
  bool generic() const { return recipe_.has_value(); }
  void draw_model_controls(PanelContext& context);
  void draw_recipe_controls(PanelContext& context);
  // The top 5 as bars, and the softmax table beside them when size.x > 0.
  // The top 5 as bars, then the softmax table when `size` is not zero (the
  // table beside the photos); the bars shrink to fit `height` when it is set.
  void draw_classifier(PanelContext& context, ImVec2 size, float height = 0.0f);
  void draw_softmax_table(PanelContext& context);
  Status select_layer(const std::string& name);  // a block or node name
  void move_selection(int delta);
  void load(const std::string& path);
  void upload_textures();
  void draw_controls(PanelContext& context);
  // Step mode's words: where the data is, what the block is, what it does.
  struct StepWords {
    std::string heading, summary, sentence;
  };
  StepWords step_words() const;
  float step_mode_height(PanelContext& context, float width) const;  // wrapped at `width`
  void draw_step_mode(PanelContext& context, float height);          // 0: the rest of the window
  void draw_times(PanelContext& context);
  void draw_images(PanelContext& context, ImVec2 size);
  void draw_diagram(PanelContext& context, float height);
  void draw_inspector(PanelContext& context);
  const LayoutBlock* selected_block() const;
  std::string block_sentence(const LayoutBlock& block) const;

  std::shared_ptr<const ColorizerModel> colorizer_;  // the colorizer, when it is the model
  std::shared_ptr<const Model> model_;               // what runs: the colorizer's or the opened file's
  std::string model_path_;                           // the opened file (empty: the colorizer)
  std::optional<OpenedModel> opened_;
  std::optional<Preprocess> recipe_;  // set for an opened image model
  std::string unsupported_;           // the loader's words on the node it stopped at
  GraphLayout full_layout_;           // every block (layout_: with groups folded)
  std::vector<std::string> folded_;
  std::map<std::string, Shape> run_shapes_;  // the last run's shapes, per node
  std::string logits_;                       // a classifier's score vector node, if any
  std::vector<ClassScore> top_;
  std::string top_language_;   // the language of top_'s class names
  float softmax_table_h_ = 0;  // the softmax table's height when last drawn
  // The model opened last and not yet drawn: when it was asked for, and how
  // long reading, checking, shape inference and layout took.
  struct Opening {
    std::chrono::steady_clock::time_point started;
    double open_ms = 0;
  };
  std::optional<Opening> opening_;
  std::string model_box_;   // the model path being typed
  std::string open_error_;  // why the last model asked for did not open
  std::string mean_box_, std_box_;
  GlTexture seen_;  // the photo as the opened model sees it
  std::unique_ptr<session::NetworkSession> session_;
  std::chrono::steady_clock::time_point requested_at_;  // of the request in flight
  std::unique_ptr<LayerInspector> inspector_;
  GraphLayout layout_;
  std::string model_error_;

  // Requested state (settings arrive before the window and GL exist).
  std::string image_path_;
  int category_ = -1;  // -1: from the photo's file name
  session::RunBackend backend_ = session::RunBackend::Gpu;
  int working_size_ = 256;
  bool load_pending_ = true;
  std::string arch_ = "advanced";
  std::string weights_path_;  // empty: the shipped weights (advanced) or random (basic)
  int reloads_left_ = 0;      // reload=N: timing runs

  std::string block_;               // the selected block
  std::string node_;                // the activation shown (one of the block's nodes)
  std::optional<int> step_column_;  // step mode: the column the data has reached
  bool wipe_mode_ = false;
  float wipe_ = 0.5f;
  std::optional<int> pending_zoom_;
  std::optional<int> pending_tab_;
  int view_request_ = -1;  // compact layout: the tab to select (view=...)

  std::vector<std::string> samples_;
  std::string path_box_;

  int shown_version_ = -1;
  GlTexture original_, lightness_, result_, a_pred_, a_true_, b_pred_, b_true_;
  std::optional<double> on_screen_pending_;  // textures uploaded; timed when the next frame starts
  double request_to_screen_ms_ = 0;
};

}  // namespace convlab::app
