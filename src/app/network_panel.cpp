#include "app/network_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <tuple>

#include "app/network_diagram.h"
#include "app/panel_widgets.h"
#include "app/status_bar.h"
#include "app/text_audit.h"
#include "app/ui_label.h"
#include "core/base/i18n.h"
#include "core/explore/colormap.h"
#include "core/explore/setting_parse.h"
#include "core/io/asset_paths.h"
#include "core/model/colorize.h"
#include "core/model/graph_text.h"
#include "platform/platform.h"

namespace convlab::app {

namespace fs = std::filesystem;
namespace st = explore::setting_text;

namespace {

constexpr double kFrameBudgetMs = 12.0;  // GPU work per frame: the window stays responsive
constexpr int kWorkingSizes[] = {128, 256, 512};

// A category by its name in the UI language (colorize.h knows both).
const char* category_label(int id) {
  return i18n::language_tag() == "pt-BR" ? category_name_pt(id) : category_name_en(id);
}

// "256 px (long side)"
std::string working_size_label(int size) { return format(tr("%d px (long side)"), size); }

// Texture of one (1, C, H, W) plane.
std::span<const float> plane(const Tensor& t, int64_t channel) {
  const int64_t size = t.h() * t.w();
  return {t.data() + channel * size, static_cast<size_t>(size)};
}

void upload_rgb(GlTexture& texture, const RgbImage& image) {
  std::vector<uint8_t> rgba;
  rgba.reserve(image.pixels.size() / 3 * 4);
  for (size_t i = 0; i < image.pixels.size(); i += 3)
    rgba.insert(rgba.end(), {image.pixels[i], image.pixels[i + 1], image.pixels[i + 2], 255});
  texture.upload(image.width, image.height, rgba, true);
}

// An image fitted into `box` keeping its aspect, with a caption above.
ImVec2 fitted(const GlTexture& t, ImVec2 box) {
  if (t.empty()) return ImVec2(0, 0);
  const float scale = std::min(box.x / static_cast<float>(t.width()), box.y / static_cast<float>(t.height()));
  return ImVec2(std::floor(static_cast<float>(t.width()) * scale),
                std::floor(static_cast<float>(t.height()) * scale));
}

// `text` as it fits in `width`: whole, or cut at a character and ended
// with "…" (a long file name in a narrow combo).
std::string fit_text(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  const char* ellipsis = "\xe2\x80\xa6";
  std::string shown = text;
  while (!shown.empty()) {
    // Drop one UTF-8 character from the end.
    size_t cut = shown.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown.resize(cut);
    if (ImGui::CalcTextSize((shown + ellipsis).c_str()).x <= width) return shown + ellipsis;
  }
  return ellipsis;
}

// A photo as people name it: a bundled "animals_chelsea_cat.jpg" reads
// "chelsea cat" (the category prefix and the underscores are for the file
// system); any other photo by its file name.
std::string photo_name(const std::string& path, bool bundled) {
  std::string name = fs::path(path).filename().string();
  if (!bundled) return name;
  std::string stem = fs::path(path).stem().string();
  if (const size_t cut = stem.find('_'); cut != std::string::npos && cut + 1 < stem.size())
    stem = stem.substr(cut + 1);
  std::replace(stem.begin(), stem.end(), '_', ' ');
  return stem;
}

// The width an item can take and still leave room for a "(?)" after it.
float width_before_help() {
  return ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("(?)").x - ImGui::GetStyle().ItemSpacing.x;
}

// A line of text with a "(?)" after it: on one line when both fit, else
// the text wraps short of the right edge and the "(?)" stays beside it.
void text_with_help(const std::string& text, const char* help) {
  const float room = width_before_help();
  if (ImGui::CalcTextSize(text.c_str()).x <= room) {
    ImGui::TextUnformatted(text.c_str());
  } else {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + room);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
  }
  help_marker(help);
}

void captioned_image(const char* caption, const GlTexture& t, ImVec2 box, const char* help = nullptr) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(caption);
  if (help) help_marker(help);
  const ImVec2 size = fitted(t, ImVec2(box.x, box.y - ImGui::GetTextLineHeightWithSpacing()));
  if (!t.empty()) ImGui::Image(t.imgui_id(), size);
  ImGui::EndGroup();
}

}  // namespace

NetworkPanel::NetworkPanel() : Panel("network", tr_noop("Network")) {
  samples_ = bundled_sample_photos();
  // The photo the panel opens with: the cat, when it is bundled.
  for (const std::string& s : samples_)
    if (fs::path(s).stem().string().find("cat") != std::string::npos) image_path_ = s;
  if (image_path_.empty() && !samples_.empty()) image_path_ = samples_.front();
  auto colorizer = shared_colorizer();
  if (colorizer.ok()) {
    Status used = use_model(colorizer.value());
    if (!used.ok()) model_error_ = used.message();
  } else {
    model_error_ = colorizer.message();
  }
}

Status NetworkPanel::use_model(std::shared_ptr<const ColorizerModel> colorizer) {
  // The layout at a square example size; the real shapes come from the run.
  auto layout = layout_graph(colorizer->model.graph, 256);
  if (!layout.ok()) return layout.error();
  colorizer_ = std::move(colorizer);
  model_ = std::shared_ptr<const Model>(colorizer_, &colorizer_->model);
  model_path_.clear();
  opened_.reset();
  recipe_.reset();
  unsupported_.clear();
  set_layout(std::move(layout).value());
  return {};
}

void NetworkPanel::set_layout(GraphLayout layout) {
  full_layout_ = std::move(layout);
  // Many columns (a ResNet): each residual block one box until clicked open.
  int columns = 0;
  for (const LayoutBlock& b : full_layout_.blocks) columns = std::max(columns, b.column + 1);
  folded_.clear();
  if (columns > 24)
    for (const LayoutGroup& g : full_layout_.groups) folded_.push_back(g.name);
  refold();
  model_error_.clear();
  session_.reset();  // a new model: a new session (the GPU weights go with the old one)
  inspector_.reset();
  run_shapes_.clear();
  logits_.clear();
  top_.clear();
  shown_version_ = -1;
  load_pending_ = true;
  // The first conv block, as a start.
  block_ = node_ = "";
  for (const LayoutBlock& b : layout_.blocks)
    if (b.kind == BlockKind::Conv) {
      block_ = node_ = b.name;
      break;
    }
  step_column_.reset();
}

void NetworkPanel::refold() {
  layout_ = fold_layout(full_layout_, folded_);
  // The selection stays on what holds it: a folded block's box, or its first block when opened.
  if (!block_.empty() && !layout_.find(block_)) {
    if (const LayoutGroup* g = group_of(full_layout_, block_); g && layout_.find(g->name))
      block_ = g->name;
    else if (const LayoutGroup* opened = full_layout_.group(block_))
      block_ = opened->blocks.front();
  }
}

Status NetworkPanel::open_model(const std::string& path_or_name) {
  if (path_or_name == "ecnn") {
    arch_ = "advanced";
    weights_path_.clear();
    return load_model_setting();
  }
  const auto started = std::chrono::steady_clock::now();
  auto file = model_file_for(path_or_name);  // a bundled model's name, or a path
  if (!file) return file.error();
  const std::string path = *file;
  auto opened = open_model_file(path);
  if (!opened.ok()) return opened.error();
  if (takes_lab_and_category(opened->model->graph))
    return Error{format(tr("%s: a colorizer with the inputs gray and category opens with arch= and weights="),
                        path.c_str())};
  auto recipe = preprocess_from_metadata(opened->model->graph, opened->metadata, opened->labels_text);
  // A model that stops at its first node has nothing to run: the loader's words say why.
  if (!recipe.ok() && !opened->unsupported_why.empty())
    return Error{format(tr("%s: node %s (op %s): %s; no layer before it takes the photo"), path.c_str(),
                        opened->unsupported_node.c_str(), opened->unsupported_op.c_str(),
                        opened->unsupported_why.c_str())};
  if (!recipe.ok()) return with_context(path + ": ", recipe.error());
  // The recipe this model had the last time it was open here.
  if (auto it = recipe_memory().recipes.find(path); it != recipe_memory().recipes.end()) {
    std::string_view text = it->second;
    while (!text.empty()) {
      const std::string_view line = text.substr(0, text.find(';'));
      text.remove_prefix(std::min(text.size(), line.size() + 1));
      const size_t eq = line.find('=');
      if (eq != std::string_view::npos)
        (void)apply_preprocess_setting(*recipe, std::string(line.substr(0, eq)),
                                       std::string(line.substr(eq + 1)));
    }
  }
  auto layout = layout_graph(opened->model->graph, recipe->size);
  if (!layout.ok()) return with_context(path + ": ", layout.error());
  if (!opened->unsupported_op.empty())
    add_unsupported_block(*layout, opened->unsupported_node, opened->unsupported_op, "");
  colorizer_.reset();
  model_ = opened->model;
  model_path_ = path;
  unsupported_ = opened->unsupported_why.empty()
                     ? std::string()
                     : format(tr("%s stops at node %s (op %s): %s. The layers before it run."), path.c_str(),
                              opened->unsupported_node.c_str(), opened->unsupported_op.c_str(),
                              opened->unsupported_why.c_str());
  opened_ = std::move(opened).value();
  recipe_ = std::move(recipe).value();
  mean_box_ = std_box_ = "";
  set_layout(std::move(layout).value());
  opening_ = Opening{
      started, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count()};
  return {};
}

Status NetworkPanel::set_recipe(Preprocess recipe) {
  if (!recipe_)
    return Error{tr("the colorizer takes no preprocessing settings; open a model first (model=PATH)")};
  const bool resized = recipe.size != recipe_->size;
  recipe_ = std::move(recipe);
  std::string remembered = preprocess_settings_text(*recipe_);
  std::replace(remembered.begin(), remembered.end(), '\n', ';');
  recipe_memory().recipes[model_path_] = remembered;
  if (recipe_memory().changed) recipe_memory().changed();
  mean_box_ = std_box_ = "";
  if (session_) session_->set_recipe(*recipe_);
  if (resized) {
    // The example shapes follow the size; the real ones come with the run.
    auto layout = layout_graph(model().graph, recipe_->size);
    if (layout.ok()) {
      if (opened_ && !opened_->unsupported_op.empty())
        add_unsupported_block(*layout, opened_->unsupported_node, opened_->unsupported_op, "");
      full_layout_ = std::move(layout).value();
      refold();
    }
  }
  return {};
}

Status NetworkPanel::load_model_setting() {
  auto graph = Graph::builtin(arch_);
  if (!graph.ok()) return graph.error();
  auto colorizer = std::make_shared<ColorizerModel>();
  if (!weights_path_.empty()) {
    auto model = load_model(graph.value(), weights_path_);
    if (!model.ok()) return model.error();
    colorizer->model = std::move(model).value();
    colorizer->set_label(tr_noop("weights %s"), fs::path(weights_path_).filename().string());
    colorizer->trained = true;
  } else if (arch_ == "advanced") {
    auto shared = shared_colorizer();
    if (!shared.ok()) return shared.error();
    return use_model(shared.value());
  } else {
    colorizer->model = random_model(graph.value(), 1);
    colorizer->set_label(tr_noop("random weights (no trained %s model is shipped; give weights=PATH)"),
                         arch_);
  }
  return use_model(std::move(colorizer));
}

NetworkPanel::~NetworkPanel() = default;

bool NetworkPanel::busy() const {
  return load_pending_ || reloads_left_ > 0 || on_screen_pending_.has_value() ||
         (session_ && session_->busy());
}

Status NetworkPanel::ensure_session() {
  if (session_) return {};
  if (!model_) return Error{model_error_};
  session_ = std::make_unique<session::NetworkSession>(
      model_, platform::has_worker_threads() ? session::Threading::Workers : session::Threading::Frames,
      recipe_);
  auto accelerator = platform::make_accelerator(model_);
  if (accelerator)
    session_->set_accelerator(std::move(accelerator).value());
  else
    session_->set_accelerator(nullptr, accelerator.message());
  inspector_ = std::make_unique<LayerInspector>();
  return {};
}

// ---- settings -----------------------------------------------------------------

Status NetworkPanel::apply_setting(const std::string& key, const std::string& value) {
  if (key == "image") {
    std::string path = value;
    for (const std::string& sample : samples_)
      if (fs::path(sample).stem() == value || fs::path(sample).filename() == value) path = sample;
    std::error_code ec;  // a name the file system refuses (too long, say) is just not a file
    if (!fs::is_regular_file(path, ec))
      return Error{format(tr("panel '%s': %s"), "network",
                          format(tr("image: '%s' is neither an image file nor a bundled sample (e.g. "
                                    "animals_chelsea_cat)"),
                                 value.c_str())
                              .c_str())};
    load(path);
    return {};
  }
  if (key == "category") {
    auto id = parse_category(value);
    if (!id.ok()) return Error{format(tr("panel '%s': %s: %s"), "network", "category", id.message().c_str())};
    category_ = id.value();
    if (session_) session_->set_category(category_);
    return {};
  }
  if (key == "layer") return select_layer(value);
  if (key == "model") {
    Status opened = open_model(value);
    if (!opened.ok())
      return Error{format(tr("panel '%s': %s: %s"), "network", "model", opened.message().c_str())};
    return {};
  }
  if (key == "fold") {
    if (value == "all" || value == "none") {
      folded_.clear();
      if (value == "all")
        for (const LayoutGroup& g : full_layout_.groups) folded_.push_back(g.name);
      refold();
      return {};
    }
    if (!full_layout_.group(value)) {
      std::string names;
      for (const LayoutGroup& g : full_layout_.groups) names += ", " + g.name;
      return st::bad_value(key, value,
                           format(tr("all, none, or a residual block of this model%s"), names.c_str()));
    }
    // One block: folded if it was open, opened if it was folded.
    if (auto it = std::find(folded_.begin(), folded_.end(), value); it != folded_.end())
      folded_.erase(it);
    else
      folded_.push_back(value);
    refold();
    return {};
  }
  for (const char* recipe_key : {"image_size", "color", "pixel_range", "mean", "std", "resize"}) {
    if (key != recipe_key) continue;
    if (!recipe_)
      return Error{
          format(tr("panel '%s': %s: %s"), "network", key.c_str(),
                 tr("the colorizer takes no preprocessing settings; open a model first (model=PATH)"))};
    Preprocess changed = *recipe_;
    Status applied = apply_preprocess_setting(changed, key, value);
    if (applied.ok()) applied = check_recipe(model().graph, changed);
    if (!applied.ok()) return Error{format(tr("panel '%s': %s"), "network", applied.message().c_str())};
    return set_recipe(std::move(changed));
  }
  if (key == "arch") {
    const auto names = Graph::builtin_names();
    if (std::find(names.begin(), names.end(), value) == names.end())
      return st::bad_value(key, value, tr("advanced or basic (the ECNN model descriptions)"));
    const std::string previous = arch_;
    arch_ = value;
    Status loaded = load_model_setting();
    if (!loaded.ok()) {
      arch_ = previous;
      return Error{format(tr("panel '%s': %s: %s"), "network", "arch", loaded.message().c_str())};
    }
    return {};
  }
  if (key == "weights") {
    const std::string previous = weights_path_;
    weights_path_ = value == "default" ? "" : value;
    Status loaded = load_model_setting();
    if (!loaded.ok()) {
      weights_path_ = previous;
      return Error{format(tr("panel '%s': %s: %s"), "network", "weights", loaded.message().c_str())};
    }
    return {};
  }
  if (key == "reload") {
    int n = 0;
    if (!st::parse_int(value, n) || n < 0 || n > 100)
      return st::bad_value(key, value,
                           tr("0 to 100: how many times to load the photo again after each result (timing)"));
    reloads_left_ = n;
    return {};
  }
  if (key == "backend") {
    if (value != "gpu" && value != "cpu") return st::bad_value(key, value, tr("gpu or cpu"));
    backend_ = value == "gpu" ? session::RunBackend::Gpu : session::RunBackend::Cpu;
    if (session_) session_->set_backend(backend_);
    return {};
  }
  if (key == "working_size") {
    int size = 0;
    if (!st::parse_int(value, size) || size < 16 || size > 1024)
      return st::bad_value(key, value, tr("a whole number from 16 to 1024 (the long side the model sees)"));
    working_size_ = size;
    if (session_) session_->set_working_size(size);
    return {};
  }
  if (key == "compare") {
    if (value != "side" && value != "wipe") return st::bad_value(key, value, tr("side or wipe"));
    wipe_mode_ = value == "wipe";
    return {};
  }
  if (key == "wipe") {
    double w = 0;
    if (!st::parse_double(value, w) || w < 0 || w > 1)
      return st::bad_value(key, value, tr("a number from 0 to 1"));
    wipe_ = static_cast<float>(w);
    wipe_mode_ = true;
    return {};
  }
  if (key == "view") {
    const char* names[] = {"architecture", "photo", "layer"};
    for (int i = 0; i < 3; ++i)
      if (value == names[i]) {
        view_request_ = i;
        return {};
      }
    return st::bad_value(key, value, tr("architecture, photo or layer (the tab shown on a small window)"));
  }
  if (key == "inspect") {
    const char* names[] = {"maps", "kernels", "batchnorm"};
    for (int i = 0; i < 3; ++i)
      if (value == names[i]) {
        pending_tab_ = i;
        return {};
      }
    return st::bad_value(key, value, tr("maps, kernels or batchnorm (the layer inspector's tab)"));
  }
  if (key == "zoom") {
    int channel = 0;
    if (value == "off") {
      pending_zoom_ = -1;
    } else if (st::parse_int(value, channel) && channel >= 1) {
      pending_zoom_ = channel - 1;
    } else {
      return st::bad_value(key, value, tr("a channel number from 1, or off"));
    }
    return {};
  }
  if (key == "step") {
    int n = 0;
    if (value == "off") {
      step_column_.reset();
      return {};
    }
    int columns = 0;
    for (const LayoutBlock& b : layout_.blocks) columns = std::max(columns, b.column + 1);
    if (!st::parse_int(value, n) || n < 1 || n > columns)
      return st::bad_value(key, value, format(tr("a layer step from 1 to %d, or off"), columns));
    step_column_ = n - 1;
    for (const LayoutBlock& b : layout_.blocks)
      if (b.column == n - 1 && b.kind != BlockKind::Input) return select_layer(b.name);
    return {};
  }
  return Error{
      format(tr("panel '%s' has no setting '%s'; valid: %s"), "network", key.c_str(),
             "image, category, layer, arch, weights, model, fold, image_size, color, pixel_range, mean, std, "
             "resize, backend, working_size, compare, wipe, zoom, inspect, step, view, reload")};
}

Status NetworkPanel::select_layer(const std::string& name) {
  for (const LayoutBlock& b : layout_.blocks) {
    if (b.name == name || std::find(b.nodes.begin(), b.nodes.end(), name) != b.nodes.end()) {
      block_ = b.name;
      node_ = b.nodes.empty() ? b.name : name;
      if (b.kind == BlockKind::Input && b.shape.size() != 4) node_ = "gray";     // the category has no map
      if (b.kind == BlockKind::Group && name == b.name) node_ = b.nodes.back();  // the block's output
      if (b.kind == BlockKind::Unsupported) node_ = b.name;  // nothing to show; the inspector says why
      if (inspector_) inspector_->set_zoom_channel(-1);
      return {};
    }
  }
  // A node inside a folded block: the block opens.
  for (const LayoutGroup& g : full_layout_.groups)
    for (const std::string& member : g.blocks)
      if (const LayoutBlock* b = full_layout_.find(member);
          b && (b->name == name || std::find(b->nodes.begin(), b->nodes.end(), name) != b->nodes.end()) &&
          std::find(folded_.begin(), folded_.end(), g.name) != folded_.end()) {
        std::erase(folded_, g.name);
        refold();
        return select_layer(name);
      }
  std::string names;
  for (const LayoutBlock& b : layout_.blocks) {
    names += (names.empty() ? "" : ", ") + b.name;
  }
  if (generic())
    return Error{format(tr("panel 'network': layer: '%s' is not a layer of this model; its blocks are %s"),
                        name.c_str(), names.c_str())};
  return Error{
      format(tr("panel 'network': layer: '%s' is not a layer of the colorizer; its blocks are %s (or one "
                "of their nodes, such as conv1 or conv1_bn)"),
             name.c_str(), names.c_str())};
}

void NetworkPanel::load(const std::string& path) {
  image_path_ = path;
  // The box is for typing the next path; the photo's name shows in the combo.
  path_box_.clear();
  load_pending_ = true;
}

std::vector<std::string> NetworkPanel::control_ids() const {
  return {"photo", "category", "run", "stepmode"};
}

std::string NetworkPanel::state_text() const {
  std::string text;
  if (generic()) {
    text += "model=" + model_path_ + "\n" + preprocess_settings_text(*recipe_);
  } else {
    if (arch_ != "advanced") text += "arch=" + arch_ + "\n";
    if (!weights_path_.empty()) text += "weights=" + weights_path_ + "\n";
  }
  std::string image = image_path_;
  for (const std::string& sample : samples_)
    if (sample == image_path_) image = fs::path(sample).stem().string();
  text += "image=" + image + "\n";
  const int category = category_ >= 0 ? category_ : category_from_file_name(image_path_);
  text += std::string("category=") + category_name_en(category) + "\n";
  text += std::string("backend=") + (backend_ == session::RunBackend::Gpu ? "gpu" : "cpu") + "\n";
  text += "working_size=" + std::to_string(working_size_) + "\n";
  // The step before the layer: a step selects its column's layer, and a
  // layer picked while stepping must win when the text is read back.
  text += "step=" + (step_column_ ? std::to_string(*step_column_ + 1) : std::string("off")) + "\n";
  text += "layer=" + node_ + "\n";
  text += std::string("compare=") + (wipe_mode_ ? "wipe" : "side") + "\n";
  if (wipe_mode_) text += "wipe=" + st::double_text(wipe_) + "\n";
  const int zoom = inspector_ ? inspector_->zoom_channel() : (pending_zoom_ ? *pending_zoom_ : -1);
  text += "zoom=" + (zoom >= 0 ? std::to_string(zoom + 1) : std::string("off")) + "\n";
  return text;
}

bool NetworkPanel::on_file_dropped(const std::string& path) {
  std::string extension = fs::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".onnx") {
    // A bad file leaves the model as it was; the message names the file.
    Status opened = open_model(path);
    if (!opened.ok())
      open_error_ = opened.message();
    else
      open_error_.clear();
    return true;
  }
  load(path);
  return true;
}

const LayoutBlock* NetworkPanel::selected_block() const { return layout_.find(block_); }

void NetworkPanel::move_selection(int delta) {
  // Blocks in execution order, skipping the category input (it has no map).
  std::vector<const LayoutBlock*> order;
  for (const LayoutBlock& b : layout_.blocks)
    if (!(b.kind == BlockKind::Input && b.shape.size() != 4)) order.push_back(&b);
  std::stable_sort(order.begin(), order.end(),
                   [](const LayoutBlock* a, const LayoutBlock* b) { return a->column < b->column; });
  size_t at = 0;
  for (size_t i = 0; i < order.size(); ++i)
    if (order[i]->name == block_) at = i;
  const auto next = static_cast<size_t>(
      std::clamp<int64_t>(static_cast<int64_t>(at) + delta, 0, static_cast<int64_t>(order.size()) - 1));
  (void)select_layer(order[next]->name);
  if (step_column_) step_column_ = order[next]->column;
}

bool NetworkPanel::on_step(StepKey key) {
  switch (key) {
    case StepKey::Next:
    case StepKey::PageNext:
      move_selection(1);
      return true;
    case StepKey::Previous:
    case StepKey::PagePrevious:
      move_selection(-1);
      return true;
    case StepKey::First:
      move_selection(-1000);
      return true;
    case StepKey::Last:
      move_selection(1000);
      return true;
    case StepKey::PlayPause:
      // Space starts or leaves step mode.
      if (step_column_) {
        step_column_.reset();
      } else {
        const LayoutBlock* b = selected_block();
        step_column_ = b ? b->column : 0;
      }
      return true;
  }
  return false;
}

std::string NetworkPanel::block_sentence(const LayoutBlock& block) const {
  if (block.kind == BlockKind::Unsupported) return unsupported_;
  if (block.kind == BlockKind::Group)
    return tr(
        "A residual block: its layers compute a change, and the Add joins that change to the block's "
        "input, so the signal (and the gradient in training) also has a short way through. Click the box "
        "to open it.");
  if (block.kind == BlockKind::Input && generic())
    return format(
        tr("Your photo as the model expects it: %d×%d pixels, %s, range %s, then (x - mean) / std."),
        recipe_->size, recipe_->size, color_layout_name(recipe_->color), pixel_range_name(recipe_->range));
  if (block.kind == BlockKind::Input)
    return block.shape.size() == 4
               ? tr("The L channel of your photo: lightness from 0 to 100, all the network sees.")
               : tr("The category you chose; it picks one row of the embedding table.");
  std::string text;
  for (const std::string& name : block.nodes)
    if (const GraphNode* node = model().graph.find(name); node && !node->description.empty())
      text += (text.empty() ? "" : " ") + std::string(graph_text(node->description));
  return text;
}

// ---- frame ----------------------------------------------------------------------

void NetworkPanel::on_new_result() {
  run_shapes_.clear();
  logits_.clear();
  top_.clear();
  const session::NetworkRun* run = session_->run();
  if (!run) return;
  std::map<std::string, Shape> inputs;
  if (const ColorizeInput* input = session_->input()) {
    auto shapes = model().graph.infer_shapes(1, input->working.h, input->working.w);
    if (shapes.ok()) run_shapes_ = std::move(shapes).value();
  } else if (const session::ImageInput* image = session_->image_input()) {
    auto shapes = model().graph.infer_shapes({{recipe_->input, image->tensor.shape()}});
    if (shapes.ok()) run_shapes_ = std::move(shapes).value();
    logits_ = logits_node(model().graph, run_shapes_);
    if (!logits_.empty()) {
      auto values = session_->activation(logits_);
      top_language_ = i18n::language_tag();
      if (values.ok())
        top_ = top_classes(std::span<const float>((*values)->data(), static_cast<size_t>((*values)->numel())),
                           recipe_->labels_for(top_language_), 5);
    }
  }
}

void NetworkPanel::upload_textures() {
  on_new_result();
  if (const session::ImageInput* image = session_->image_input()) {
    upload_rgb(original_, image->original);
    upload_rgb(seen_, image->seen);
    return;
  }
  const ColorizeInput* input = session_->input();
  const RgbImage* result = session_->result();
  const session::NetworkRun* run = session_->run();
  if (!input || !result || !run) return;
  upload_rgb(original_, input->original);
  upload_rgb(result_, *result);
  lightness_.upload(static_cast<int>(input->gray.w()), static_cast<int>(input->gray.h()),
                    explore::gray_rgba(plane(input->gray, 0), 0.0f, 100.0f), true);
  // a and b, predicted and true, on one scale per channel so they compare.
  const auto pair = [&](GlTexture& predicted, GlTexture& truth, int64_t channel) {
    const auto p = plane(run->output, channel), t = plane(input->true_ab, channel);
    const float max_abs = std::max({explore::grid_max_abs(p), explore::grid_max_abs(t), 1.0f});
    const int w = static_cast<int>(input->gray.w()), h = static_cast<int>(input->gray.h());
    predicted.upload(w, h, explore::diverging_rgba(p, max_abs), true);
    truth.upload(w, h, explore::diverging_rgba(t, max_abs), true);
  };
  pair(a_pred_, a_true_, 0);
  pair(b_pred_, b_true_, 1);
}

void NetworkPanel::draw(PanelContext& context) {
  if (!model_error_.empty()) {
    ImGui::TextWrapped(tr("The colorizer could not be loaded: %s"), model_error_.c_str());
    return;
  }

  if (Status ready = ensure_session(); !ready.ok()) {
    ImGui::TextWrapped("%s", ready.message().c_str());
    return;
  }
  if (on_screen_pending_) {
    // The frame that showed the new result has been drawn and swapped.
    request_to_screen_ms_ =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - requested_at_).count();
    if (generic())
      std::printf("convlab: network: %s → %s on screen in %.0f ms (%s, model %.1f ms)\n",
                  session_->image_label().c_str(), fs::path(model_path_).filename().string().c_str(),
                  request_to_screen_ms_, session::backend_name(session_->run()->backend),
                  session_->run()->total_ms);
    else
      std::printf("convlab: network: %s → colors on screen in %.0f ms (%s, model %.1f ms, working %dx%d)\n",
                  session_->image_label().c_str(), request_to_screen_ms_,
                  session::backend_name(session_->run()->backend), session_->run()->total_ms,
                  static_cast<int>(session_->input()->working.w),
                  static_cast<int>(session_->input()->working.h));
    std::fflush(stdout);
    if (context.log && generic()) {
      char line[200];
      std::snprintf(line, sizeof line, "ran %.0f ms network_ms=%.1f top=%d", request_to_screen_ms_,
                    session_->run()->total_ms, top_.empty() ? -1 : top_.front().index);
      context.log(line);
    } else if (context.log) {
      // The contract's fields first; then the network's own time and its
      // longest step (what one frame waited for at most), for benchmarks.
      const session::NetworkRun& run = *session_->run();
      const auto ab = mean_abs_ab(run.output);
      double longest = 0;
      for (const StepTime& step : run.times) longest = std::max(longest, step.ms);
      char line[200];
      std::snprintf(line, sizeof line,
                    "colorized %.0f ms ab_mean_abs=%.3f,%.3f network_ms=%.1f longest_step_ms=%.1f",
                    request_to_screen_ms_, ab[0], ab[1], run.total_ms, longest);
      context.log(line);
    }
    on_screen_pending_.reset();
    if (reloads_left_ > 0) {
      --reloads_left_;
      load_pending_ = true;
    }
  }
  if (load_pending_) {
    load_pending_ = false;
    session_->set_backend(backend_);
    session_->set_working_size(working_size_);
    session_->set_category(category_ >= 0 ? category_ : category_from_file_name(image_path_));
    requested_at_ = std::chrono::steady_clock::now();
    session_->load_file(image_path_);
  }
  const int before = session_->result_version();
  const bool was_busy = session_->busy();
  if (!was_busy) requested_at_ = std::chrono::steady_clock::now();  // the next request starts the clock
  session_->update(kFrameBudgetMs);
  if (session_->phase() == session::SessionPhase::Failed && was_busy && context.status)
    context.status->error(session_->error());
  if (session_->result_version() != shown_version_) {
    upload_textures();
    shown_version_ = session_->result_version();
    if (session_->result_version() != before || shown_version_ > 0) on_screen_pending_ = 0.0;
  }
  // The class names follow a language switch at once, not at the next run.
  if (!top_.empty() && top_language_ != i18n::language_tag()) on_new_result();
  if (pending_zoom_ && inspector_) {
    inspector_->set_zoom_channel(*pending_zoom_);
    pending_zoom_.reset();
  }
  if (pending_tab_ && inspector_) {
    inspector_->request_tab(*pending_tab_);
    pending_tab_.reset();
  }

  const float font = ImGui::GetFontSize();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // A small window or a big scale (a projector at 1280x720): the three
  // views take turns as tabs instead of sharing the height.
  const bool compact = avail.y < 36.0f * font || avail.x < 62.0f * font;
  const float controls_w = compact ? std::clamp(0.26f * avail.x, 12.0f * font, 15.0f * font)
                                   : std::clamp(0.22f * avail.x, 15.0f * font, 20.0f * font);
  // A column beside the picture; in presenter mode, or when a column would
  // leave the views too little width (a lesson at scale 1.5 on 1280x720), a
  // drawer (controls_drawer.h).
  const bool narrow = avail.x < 34.0f * font;
  if (controls_drawer_.begin("network controls", controls_w, context.presenter || narrow))
    draw_controls(context);
  controls_drawer_.end();
  ImGui::SameLine();
  ImGui::BeginChild("network main", ImVec2(0, 0), false,
                    ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
  if (compact) {
    if (ImGui::BeginTabBar("network views")) {
      const ImGuiTabItemFlags flags[3] = {view_request_ == 0 ? ImGuiTabItemFlags_SetSelected : 0,
                                          view_request_ == 1 ? ImGuiTabItemFlags_SetSelected : 0,
                                          view_request_ == 2 ? ImGuiTabItemFlags_SetSelected : 0};
      view_request_ = -1;
      if (ImGui::BeginTabItem(ui_label(tr("Architecture"), "architecture").c_str(), nullptr, flags[0])) {
        // Step mode: its words under the diagram, the diagram what they leave
        // (at least 45%; longer words scroll).
        const ImVec2 room = ImGui::GetContentRegionAvail();
        float diagram_h = room.y;
        if (step_column_)
          diagram_h = std::max(0.45f * room.y,
                               room.y - step_mode_height(context, room.x) - ImGui::GetStyle().ItemSpacing.y);
        draw_diagram(context, diagram_h);
        if (step_column_) draw_step_mode(context, 0.0f);
        ImGui::EndTabItem();
      }
      if (ImGui::BeginTabItem(ui_label(tr("Photo"), "photo").c_str(), nullptr, flags[1])) {
        draw_images(context, ImGui::GetContentRegionAvail());
        ImGui::EndTabItem();
      }
      if (ImGui::BeginTabItem(ui_label(tr("Layer"), "layer").c_str(), nullptr, flags[2])) {
        draw_inspector(context);
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
  } else {
    const ImVec2 main = ImGui::GetContentRegionAvail();
    // A deep model (a ResNet halves its maps five times) needs more rows.
    const float diagram_share = layout_.deepest > 4 ? 0.4f : 0.34f;
    draw_diagram(context, std::max(10.0f * font, diagram_share * main.y));
    if (step_column_) draw_step_mode(context, std::min(step_mode_height(context, main.x), 0.22f * main.y));
    const ImVec2 rest = ImGui::GetContentRegionAvail();
    // A classifier's numbers need room beside its photo.
    const float images_w = std::floor((generic() && !top_.empty() ? 0.5f : 0.42f) * rest.x);
    ImGui::BeginChild("network images", ImVec2(images_w, rest.y), true, ImGuiWindowFlags_NoScrollbar);
    draw_images(context, ImGui::GetContentRegionAvail());
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("network inspector", ImVec2(0, rest.y), true, ImGuiWindowFlags_NoScrollbar);
    draw_inspector(context);
    ImGui::EndChild();
  }
  ImGui::EndChild();
  if (opening_) {
    // A model opened: how long from asking to its diagram drawn (the goal: < 0.5 s for 70 nodes).
    const double drawn_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - opening_->started)
            .count();
    std::printf(
        "convlab: network: opened %s (%zu nodes): read, checked, shapes and layout %.0f ms, drawn at %.0f "
        "ms\n",
        fs::path(model_path_).filename().string().c_str(), model().graph.nodes().size(), opening_->open_ms,
        drawn_ms);
    opening_.reset();
  }
}

void NetworkPanel::draw_diagram(PanelContext& context, float height) {
  DiagramState state;
  state.selected = block_;
  state.data_at = step_column_;
  state.graph = &model().graph;
  if (const session::NetworkRun* run = session_->run()) {
    for (const LayoutBlock& b : layout_.blocks) {
      double ms = 0;
      bool timed = false;
      for (const StepTime& t : run->times)
        if (std::find(b.nodes.begin(), b.nodes.end(), t.name) != b.nodes.end()) ms += t.ms, timed = true;
      if (timed) state.ms[b.name] = ms;
    }
    // A folded block shows its output's shape.
    for (const LayoutBlock& b : layout_.blocks) {
      const std::string& out = b.kind == BlockKind::Group && !b.nodes.empty() ? b.nodes.back() : b.name;
      if (auto it = run_shapes_.find(out); it != run_shapes_.end()) state.shapes[b.name] = it->second;
    }
  }
  const DiagramEvents events =
      draw_network_diagram(layout_, state, ImVec2(ImGui::GetContentRegionAvail().x, height), context);
  if (events.clicked) {
    // A folded residual block opens where it is clicked.
    if (const LayoutBlock* b = layout_.find(*events.clicked); b && b->kind == BlockKind::Group) {
      std::erase(folded_, b->name);
      refold();
    }
    (void)select_layer(*events.clicked);
    if (step_column_) {
      if (const LayoutBlock* b = selected_block()) step_column_ = b->column;
    }
  }
}

void NetworkPanel::draw_inspector(PanelContext& context) {
  const LayoutBlock* block = selected_block();
  if (!block) return;
  if (block->kind == BlockKind::Unsupported) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    ImGui::TextWrapped("%s", unsupported_.c_str());
    ImGui::PopStyleColor();
    return;
  }
  const int category = session_->category();
  auto shared = shared_colorizer();
  // The teaching panels run the shipped colorizer, or an opened model from its file.
  const bool same_model = generic() || (shared.ok() && shared.value() == colorizer_);
  if (generic()) {
    std::string recipe = preprocess_settings_text(*recipe_);
    std::replace(recipe.begin(), recipe.end(), '\n', ';');
    inspector_->set_open_settings({{"model", model_path_}, {"preprocess", recipe}});
  } else {
    inspector_->set_open_settings({{"model", "ecnn"}});
  }
  auto open = inspector_->draw(context, *session_, *block, node_, image_path_, category_name_en(category),
                               same_model);
  if (!open) return;
  if (open->panel.empty()) {
    for (const auto& [key, value] : open->settings)
      if (key == "layer") node_ = value;
  } else if (context.open_panel) {
    context.open_panel(open->panel, open->settings);
  }
}

void NetworkPanel::draw_controls(PanelContext& context) {
  ImGui::PushItemWidth(-FLT_MIN);
  gated(context, "photo", [&] {
    section(context, tr("Photo"));
    const bool bundled = std::find(samples_.begin(), samples_.end(), image_path_) != samples_.end();
    {
      const ContentText file_names;  // photos by their names
      const float preview_w = ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight() -
                              2.0f * ImGui::GetStyle().FramePadding.x;
      const std::string current = fit_text(photo_name(image_path_, bundled), preview_w);
      if (ImGui::BeginCombo("##sample", current.c_str())) {
        for (const std::string& s : samples_)
          if (ImGui::Selectable(photo_name(s, true).c_str(), s == image_path_)) {
            category_ = -1;  // the sample's own category
            load(s);
          }
        ImGui::EndCombo();
      }
      // The whole path, for the curious: hover the photo's name.
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", image_path_.c_str());
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", tr("Another photo: type its path and press Enter, or drop it on the window."));
    ImGui::PopStyleColor();
    // The hint only where it fits whole.
    const char* hint = tr("path/to/photo.jpg");
    if (ImGui::CalcTextSize(hint).x + 2.0f * ImGui::GetStyle().FramePadding.x >
        ImGui::GetContentRegionAvail().x)
      hint = "";
    ImGui::InputTextWithHint("##path", hint, &path_box_);
    if (ImGui::IsItemDeactivatedAfterEdit() && !path_box_.empty()) load(path_box_);
  });

  draw_model_controls(context);
  if (generic()) draw_recipe_controls(context);

  if (!generic())
    gated(context, "category", [&] {
      section(context, tr("Category"));
      const int category = session_->category();
      // The categories are the model's, named in both languages by colorize.h.
      const ContentText model_words;
      ImGui::SetNextItemWidth(width_before_help());
      if (ImGui::BeginCombo("##category", category_label(category))) {
        for (int id = 0; id < std::max(model().graph.categories(), 1); ++id)
          if (ImGui::Selectable(category_label(id), id == category)) {
            category_ = id;
            session_->set_category(id);
          }
        ImGui::EndCombo();
      }
      help_marker(
          tr("The network also gets the photo's category as 10 learned numbers (the embedding), added to its "
             "first and its deepest layer. Change it and watch the colors change."));
    });

  gated(context, "run", [&] {
    section(context, tr("Run"));
    int backend = session_->effective_backend() == session::RunBackend::Gpu ? 0 : 1;
    const bool has_gpu = session_->has_accelerator();
    ImGui::BeginDisabled(!has_gpu);
    ImGui::RadioButton("GPU", &backend, 0);
    ImGui::EndDisabled();
    if (!has_gpu && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", session_->gpu_unavailable().c_str());
    ImGui::SameLine();
    ImGui::RadioButton("CPU", &backend, 1);
    const session::RunBackend chosen = backend == 0 ? session::RunBackend::Gpu : session::RunBackend::Cpu;
    if (has_gpu && chosen != backend_) {
      backend_ = chosen;
      session_->set_backend(chosen);
    }
    help_marker(
        tr("GPU: compute shaders, a few layers per frame so the window never freezes. CPU: the same "
           "network, with the fast matrix products, off the drawing path."));
    if (!has_gpu) ImGui::TextWrapped(tr("No GPU here: %s."), session_->gpu_unavailable().c_str());
    if (!generic()) {
      ImGui::SetNextItemWidth(width_before_help());
      if (ImGui::BeginCombo("##working", working_size_label(working_size_).c_str())) {
        for (int size : kWorkingSizes)
          if (ImGui::Selectable(working_size_label(size).c_str(), size == working_size_)) {
            working_size_ = size;
            session_->set_working_size(size);
          }
        ImGui::EndCombo();
      }
      help_marker(
          tr("The size the network sees. The colors it predicts are then stretched to the photo's full size "
             "and joined with its full-resolution L."));
    }
    const float progress = static_cast<float>(session_->progress());
    ImGui::ProgressBar(session_->phase() == session::SessionPhase::Done ? 1.0f : progress,
                       ImVec2(-FLT_MIN, 0), session_->activity().c_str());
    if (const session::NetworkRun* run = session_->run()) {
      const std::string time =
          format(tr("Network: %s ms on the %s"), i18n::display_number(run->total_ms, 1).c_str(),
                 session::backend_name(run->backend));
      if (run->compiled_shaders)
        text_with_help(time,
                       tr("This first GPU run includes compiling the compute shaders; run again (change "
                          "the category) for the network alone."));
      else
        ImGui::TextWrapped("%s", time.c_str());
      if (request_to_screen_ms_ > 0)
        ImGui::TextWrapped(tr("Photo to colors: %.0f ms"), request_to_screen_ms_);
    }
    draw_times(context);
  });

  gated(context, "stepmode", [&] {
    section(context, tr("Step through"));
    bool stepping = step_column_.has_value();
    if (ImGui::Checkbox(ui_label(tr("Step mode"), "step mode").c_str(), &stepping))
      on_step(StepKey::PlayPause);
    help_marker(
        tr("Follow the data one layer at a time: Right / Left (or a clicker) move it; the diagram lights "
           "the layers it has passed. Space turns step mode on and off."));
    if (ImGui::Button(ui_label(tr("< Back"), "back").c_str())) move_selection(-1);
    ImGui::SameLine();
    if (ImGui::Button(ui_label(tr("Next >"), "next").c_str())) move_selection(1);
  });
  ImGui::PopItemWidth();
}

void NetworkPanel::draw_times(PanelContext& context) {
  const session::NetworkRun* run = session_->run();
  if (!run) return;
  (void)context;
  if (!ImGui::CollapsingHeader(ui_label(tr("Time per layer"), "time per layer").c_str())) return;
  double largest = 0;
  for (const StepTime& t : run->times) largest = std::max(largest, t.ms);
  if (!ImGui::BeginTable("times", 2, ImGuiTableFlags_SizingStretchProp)) return;
  for (const StepTime& t : run->times) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (ImGui::Selectable(t.name.c_str(), t.name == node_)) (void)select_layer(t.name);
    ImGui::TableNextColumn();
    const std::string text = i18n::display_number(t.ms, 2) + " ms";
    ImGui::ProgressBar(largest > 0 ? static_cast<float>(t.ms / largest) : 0.0f, ImVec2(-FLT_MIN, 0),
                       text.c_str());
  }
  ImGui::EndTable();
}

NetworkPanel::StepWords NetworkPanel::step_words() const {
  const LayoutBlock* block = selected_block();
  if (!block || !step_column_) return {};
  int columns = 0;
  for (const LayoutBlock& b : layout_.blocks) columns = std::max(columns, b.column + 1);
  return {format(tr("Step %d of %d: the data is at %s"), *step_column_ + 1, columns, block->label.c_str()),
          block_summary(model().graph, *block), block_sentence(*block)};
}

float NetworkPanel::step_mode_height(PanelContext& context, float width) const {
  const StepWords words = step_words();
  ImFont* heading = context.heading_font ? context.heading_font : ImGui::GetFont();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  return heading->CalcTextSizeA(heading->FontSize, FLT_MAX, width, words.heading.c_str()).y + spacing +
         ImGui::CalcTextSize(words.summary.c_str(), nullptr, false, width).y + spacing +
         ImGui::CalcTextSize(words.sentence.c_str(), nullptr, false, width).y + spacing;
}

void NetworkPanel::draw_step_mode(PanelContext& context, float height) {
  const StepWords words = step_words();
  if (words.heading.empty()) return;
  // A region of its own: words longer than the room scroll, never cut.
  ImGui::BeginChild("step mode", ImVec2(0, height), false, ImGuiWindowFlags_NoBackground);
  ImGui::PushFont(context.heading_font);
  ImGui::TextWrapped("%s", words.heading.c_str());
  ImGui::PopFont();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", words.summary.c_str());
  ImGui::PopStyleColor();
  ImGui::TextWrapped("%s", words.sentence.c_str());
  ImGui::EndChild();
}

void NetworkPanel::draw_model_controls(PanelContext& context) {
  if (!generic()) {
    // The colorizer's column stays as short as it was (lessons fill it at a
    // projector's size): its name, and where other models come from on hover.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s, %s", model().graph.title().c_str(), colorizer_->shown_label().c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s",
                        tr("Another model (an ONNX file): File > Open model..., or drop it on the window."));
    if (!open_error_.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
      ImGui::TextWrapped("%s", open_error_.c_str());
      ImGui::PopStyleColor();
    }
    return;
  }
  section(context, tr("Model"));
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  {
    const ContentText file_name;  // the model by its file's name
    ImGui::TextWrapped("%s (%s)", fs::path(model_path_).filename().string().c_str(), opened_->format.c_str());
  }
  ImGui::PopStyleColor();
  if (!unsupported_.empty()) {
    // In short here; the loader's whole message (with the supported ops) on the red box and under "(?)".
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    text_with_help(
        format(tr("Stops at node %s (op %s), which is not supported; the layers before it run."),
               short_node_name(opened_->unsupported_node).c_str(), opened_->unsupported_op.c_str()),
        unsupported_.c_str());
    ImGui::PopStyleColor();
  }
  const char* hint = tr("path/to/model.onnx");
  if (ImGui::CalcTextSize(hint).x + 2.0f * ImGui::GetStyle().FramePadding.x >
      ImGui::GetContentRegionAvail().x)
    hint = "";
  ImGui::InputTextWithHint("##model path", hint, &model_box_);
  if (ImGui::IsItemDeactivatedAfterEdit() && !model_box_.empty()) {
    Status opened = open_model(model_box_);
    open_error_ = opened.ok() ? std::string() : opened.message();
    if (opened.ok()) model_box_.clear();
    if (!opened.ok() && context.status) context.status->error(opened.message());
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s",
                      tr("Another model: type the path of an ONNX file and press Enter, or drop it on the "
                         "window. ecnn goes back to the colorizer."));
  if (ImGui::Button(ui_label(tr("Back to the colorizer"), "back to the colorizer").c_str())) {
    Status back = open_model("ecnn");
    if (!back.ok()) open_error_ = back.message();
  }
  if (!full_layout_.groups.empty()) {
    bool all_folded = folded_.size() == full_layout_.groups.size();
    if (ImGui::Checkbox(ui_label(tr("Fold residual blocks"), "fold residual blocks").c_str(), &all_folded))
      (void)apply_setting("fold", all_folded ? "all" : "none");
    help_marker(tr("Each residual block as one box (click a box to open it)."));
  }
  if (!open_error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    ImGui::TextWrapped("%s", open_error_.c_str());
    ImGui::PopStyleColor();
  }
}

void NetworkPanel::draw_recipe_controls(PanelContext& context) {
  section(context, tr("Preprocessing"));
  Preprocess recipe = *recipe_;
  bool changed = false;
  int size = recipe.size;
  ImGui::SetNextItemWidth(width_before_help());
  if (ImGui::InputInt("##size", &size, 8, 32) && size >= 8 && size <= 1024) {
    recipe.size = size;
    changed = true;
  }
  help_marker(
      tr("Image size: the photo is cut square (or squashed) and resized to this many pixels a side."));
  // The channel layouts that give as many channels as the model takes (their file names).
  const ContentText setting_values;
  ImGui::SetNextItemWidth(width_before_help());
  if (ImGui::BeginCombo("##color", color_layout_name(recipe.color))) {
    for (ColorLayout c : {ColorLayout::Rgb, ColorLayout::Bgr, ColorLayout::Gray, ColorLayout::LabL}) {
      Preprocess probe = recipe;
      probe.color = c;
      if (probe.channels() != recipe.channels()) continue;
      if (ImGui::Selectable(color_layout_name(c), c == recipe.color)) {
        recipe.color = c;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  help_marker(tr("Channel order: rgb (PyTorch), bgr (OpenCV, Caffe), gray, or the L of Lab."));
  int range = recipe.range == PixelRange::Unit ? 0 : 1;
  bool range_clicked = ImGui::RadioButton("0-1", &range, 0);
  ImGui::SameLine();
  range_clicked = ImGui::RadioButton("0-255", &range, 1) || range_clicked;
  if (range_clicked) {
    recipe.range = range == 0 ? PixelRange::Unit : PixelRange::Byte;
    changed = changed || recipe.range != recipe_->range;
  }
  help_marker(tr("Pixel range before the mean and std: 0 to 1, or 0 to 255."));
  const auto list = [](const std::vector<float>& values) {
    std::string text;
    for (float v : values) {
      if (!text.empty()) text += ',';
      // Three significant digits, with a point (the box is comma-separated):
      // float32's 0.52497798204422 shows as 0.525, and three fit the box.
      // The recipe keeps every digit; only what a person types replaces it.
      char number[32];
      std::snprintf(number, sizeof number, "%.3g", static_cast<double>(v));
      text += number;
    }
    return text;
  };
  if (mean_box_.empty()) mean_box_ = list(recipe.mean);
  if (std_box_.empty()) std_box_ = list(recipe.std);
  ImGui::TextUnformatted(tr("mean"));
  ImGui::SetNextItemWidth(width_before_help());
  ImGui::InputText("##mean", &mean_box_);
  const bool mean_done = ImGui::IsItemDeactivatedAfterEdit();
  help_marker(tr("One number per channel, separated by commas; x = (pixel - mean) / std."));
  ImGui::TextUnformatted(tr("std"));
  ImGui::InputText("##std", &std_box_);
  const bool std_done = ImGui::IsItemDeactivatedAfterEdit();
  for (auto [done, key, box] :
       {std::tuple{mean_done, "mean", &mean_box_}, std::tuple{std_done, "std", &std_box_}}) {
    if (!done) continue;
    Status applied = apply_preprocess_setting(recipe, key, *box);
    if (applied.ok()) applied = check_recipe(model().graph, recipe);
    if (!applied.ok()) {
      if (context.status) context.status->error(applied.message());
      recipe = *recipe_;
      mean_box_ = std_box_ = "";
      continue;
    }
    changed = true;
  }
  if (changed) (void)set_recipe(std::move(recipe));
}

void NetworkPanel::draw_classifier(PanelContext& context, ImVec2 size, float height) {
  if (top_.empty()) {
    if (const session::NetworkRun* run = session_->run()) {
      std::string shape;
      for (int64_t d : run->output.shape()) shape += (shape.empty() ? "" : " × ") + std::to_string(d);
      ImGui::TextWrapped(tr("Output: %s. Click the last box of the diagram to see it."), shape.c_str());
    }
    return;
  }
  const float top = ImGui::GetCursorPosY();
  ImGui::PushFont(context.heading_font);
  ImGui::TextUnformatted(tr("Top 5 classes"));
  ImGui::PopFont();
  help_marker(
      tr("Softmax turns the scores (logits) into shares: subtract the largest score, take e to the "
         "power of each, divide each by their sum."));
  // One bar per class, as wide as its share, the label and percent on it.
  const float width = ImGui::GetContentRegionAvail().x;
  // Bars 1.4 lines tall, down to 1.1 when the softmax table below needs the
  // height (a lesson at scale 1.5 on 1280x720).
  const float font = ImGui::GetFontSize();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  float bar_h = 1.4f * font;
  if (height > 0.0f) {
    const float used = ImGui::GetCursorPosY() - top;  // the heading
    bar_h = std::clamp((height - used) / 5.0f - spacing, 1.1f * font, 1.4f * font);
  }
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 bar = context.theme == Theme::Dark ? IM_COL32(70, 130, 200, 255) : IM_COL32(120, 170, 230, 255);
  const ImU32 back = ImGui::GetColorU32(ImGuiCol_FrameBg);
  for (const ClassScore& c : top_) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + bar_h), back, 3.0f);
    draw->AddRectFilled(at, ImVec2(at.x + width * static_cast<float>(c.share / 100.0), at.y + bar_h), bar,
                        3.0f);
    const ContentText label_text;  // the model's own class names
    const std::string text = c.label + "  " + i18n::display_number(c.share, 1) + "%";
    draw->AddText(ImVec2(at.x + 0.3f * ImGui::GetFontSize(), at.y + 0.5f * (bar_h - ImGui::GetFontSize())),
                  ImGui::GetColorU32(ImGuiCol_Text), text.c_str());
    ImGui::Dummy(ImVec2(width, bar_h));
  }
  // The arithmetic, for the five.
  if (size.x > 0) draw_softmax_table(context);  // beside the photos; else the caller draws it below
}

// The softmax's arithmetic for the five classes.
void NetworkPanel::draw_softmax_table(PanelContext& context) {
  // Columns as wide as their contents (short headers: the help above says
  // the formula), so the numbers are never cut in a narrow window.
  if (ImGui::BeginTable("softmax", 4, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn(tr("class"));
    ImGui::TableSetupColumn(tr("logit z"));
    ImGui::TableSetupColumn(tr("e^(z - max)"));
    ImGui::TableSetupColumn(tr("share"));
    ImGui::TableHeadersRow();
    ImGui::PushFont(context.mono_font);
    const ContentText numbers_and_names;  // the model's class names, numbers
    for (const ClassScore& c : top_) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(c.label.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(i18n::display_number(c.logit, 2).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(i18n::display_number(c.shifted, 3).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted((i18n::display_number(c.share, 1) + "%").c_str());
    }
    ImGui::PopFont();
    ImGui::EndTable();
    softmax_table_h_ = ImGui::GetItemRectSize().y;  // its rows in the mono font: taller than estimated
  }
}

void NetworkPanel::draw_images(PanelContext& context, ImVec2 size) {
  (void)context;
  (void)size;
  if (original_.empty()) {
    ImGui::TextWrapped("%s", session_->activity().c_str());
    return;
  }
  if (generic()) {
    // The photo and what the model sees in a column; what it says beside them.
    {
      const ContentText file_name;
      ImGui::TextDisabled("%s", session_->image_label().c_str());
    }
    const ImVec2 area = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    // The softmax table needs the width of its longest class name
    // ("ambientes internos") and four numbers: beside the bars when that
    // fits, else under everything, the photos made smaller for it.
    const float column_w = top_.empty() ? area.x : std::floor(0.3f * area.x);
    bool table_below = false;
    float table_h = 0;
    if (!top_.empty()) {
      size_t longest = 5;
      for (const ClassScore& c : top_) longest = std::max(longest, c.label.size());
      ImFont* mono = context.mono_font ? context.mono_font : ImGui::GetFont();
      const float digit = mono->CalcTextSizeA(mono->FontSize, FLT_MAX, 0, "0").x;
      const float table_w = digit * static_cast<float>(longest + 20) + 8 * ImGui::GetStyle().CellPadding.x;
      table_below = area.x - column_w - 2 * spacing < table_w;
      if (table_below)
        table_h = std::max(6 * (ImGui::GetFontSize() + 2 * ImGui::GetStyle().CellPadding.y),
                           softmax_table_h_) +
                  ImGui::GetStyle().ItemSpacing.y;  // the estimate until the table was drawn once
    }
    const float h = 0.5f * (area.y - table_h - ImGui::GetStyle().ItemSpacing.y);
    const std::string seen = format(tr("Input %d×%d"), recipe_->size, recipe_->size);
    ImGui::BeginGroup();
    if (top_.empty()) {
      const float w = (area.x - spacing) / 2;
      captioned_image(tr("Photo"), original_, ImVec2(w, 0.6f * area.y));
      ImGui::SameLine();
      captioned_image(seen.c_str(), seen_, ImVec2(w, 0.6f * area.y),
                      tr("Cut and resized by the preprocessing settings; the colors are the photo's, before "
                         "the mean and std."));
    } else {
      captioned_image(tr("Photo"), original_, ImVec2(column_w, h));
      captioned_image(seen.c_str(), seen_, ImVec2(column_w, h),
                      tr("Cut and resized by the preprocessing settings; the colors are the photo's, before "
                         "the mean and std."));
    }
    ImGui::EndGroup();
    if (!top_.empty()) ImGui::SameLine();
    ImGui::BeginGroup();
    draw_classifier(context, table_below ? ImVec2(0, 0) : ImGui::GetContentRegionAvail(),
                    table_below ? area.y - table_h : 0.0f);
    ImGui::EndGroup();
    if (table_below) draw_softmax_table(context);
    return;
  }
  if (ImGui::RadioButton(ui_label(tr("Side by side"), "side by side").c_str(), !wipe_mode_))
    wipe_mode_ = false;
  ImGui::SameLine();
  if (ImGui::RadioButton(ui_label(tr("Wipe"), "wipe").c_str(), wipe_mode_)) wipe_mode_ = true;
  ImGui::SameLine();
  ImGui::TextDisabled("%s", session_->image_label().c_str());
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 area = ImGui::GetContentRegionAvail();
  const float top_h = std::floor(0.56f * area.y);
  if (wipe_mode_) {
    // The original under, the result over it up to the wipe line.
    ImGui::SetNextItemWidth(-FLT_MIN);
    // A format with no number in it: ImGui shows the words as they are.
    ImGui::SliderFloat("##wipe", &wipe_, 0.0f, 1.0f, tr("colorized | original"));
    const ImVec2 fit = fitted(original_, ImVec2(area.x, top_h - ImGui::GetFrameHeightWithSpacing()));
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Image(original_.imgui_id(), fit);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float split = std::floor(fit.x * wipe_);
    draw->AddImage(result_.imgui_id(), at, ImVec2(at.x + split, at.y + fit.y), ImVec2(0, 0),
                   ImVec2(wipe_, 1));
    draw->AddLine(ImVec2(at.x + split, at.y), ImVec2(at.x + split, at.y + fit.y),
                  IM_COL32(255, 255, 255, 230), 3.0f);
    if (ImGui::IsItemHovered() && ImGui::IsMouseDown(ImGuiMouseButton_Left))
      wipe_ = std::clamp((ImGui::GetMousePos().x - at.x) / std::max(fit.x, 1.0f), 0.0f, 1.0f);
  } else {
    const float w = (area.x - spacing) / 2;
    captioned_image(tr("Original"), original_, ImVec2(w, top_h));
    ImGui::SameLine();
    captioned_image(tr("Colorized"), result_, ImVec2(w, top_h));
  }
  // What the network sees, and a and b: predicted next to the photo's own.
  const ImVec2 below = ImGui::GetContentRegionAvail();
  const float w3 = (below.x - 2 * spacing) / 3;
  captioned_image(tr("L: the input"), lightness_, ImVec2(w3, below.y),
                  tr("What the network sees: only lightness (0 black to 100 white), at the working size."));
  ImGui::SameLine();
  ImGui::BeginGroup();
  const float half = 0.5f * (below.y - ImGui::GetStyle().ItemSpacing.y);
  const float w4 = (2 * w3 + spacing - spacing) / 2;
  captioned_image(
      tr("a predicted"), a_pred_, ImVec2(w4, half),
      tr("a runs from green (negative, blue here) to red (positive, red here); 0 is gray in the photo "
         "and white here. Predicted and true share one scale."));
  ImGui::SameLine();
  captioned_image(tr("a true"), a_true_, ImVec2(w4, half));
  captioned_image(
      tr("b predicted"), b_pred_, ImVec2(w4, half),
      tr("b runs from blue (negative) to yellow (positive). Predicted and true share one scale."));
  ImGui::SameLine();
  captioned_image(tr("b true"), b_true_, ImVec2(w4, half));
  ImGui::EndGroup();
}

}  // namespace convlab::app
