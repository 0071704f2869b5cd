#include "app/panel_exporter.h"

#include <imgui_stdlib.h>

#include <array>
#include <cstdlib>

#include "app/panel_widgets.h"
#include "app/status_bar.h"
#include "core/base/i18n.h"
#include "core/io/image_io.h"
#include "platform/platform.h"

namespace convlab::app {

namespace {

const std::array<std::pair<const char*, ExportKind>, 4> kKeys = {{{"export_png", ExportKind::Png},
                                                                  {"export_gif", ExportKind::Gif},
                                                                  {"export_csv", ExportKind::Csv},
                                                                  {"export_json", ExportKind::Json}}};

const char* extension(ExportKind kind) {
  switch (kind) {
    case ExportKind::Png:
      return "png";
    case ExportKind::Gif:
      return "gif";
    case ExportKind::Csv:
      return "csv";
    case ExportKind::Json:
      return "json";
  }
  return "";
}

}  // namespace

PanelExporter::PanelExporter(ExportSource source)
    : source_(std::move(source)), folder_(default_export_folder()) {}

bool PanelExporter::takes_key(const std::string& key) const {
  for (const auto& [name, kind] : kKeys)
    if (key == name) return true;
  return false;
}

Status PanelExporter::request(const std::string& key, const std::string& path) {
  for (const auto& [name, kind] : kKeys) {
    if (key != name) continue;
    if (path.empty())
      return Error{format(tr("%s needs a file path, for example %s=out.%s"), key.c_str(), key.c_str(),
                          extension(kind))};
    request(kind, path);
    return {};
  }
  return Error{format(tr("'%s' is not an export; valid: export_png, export_gif, export_csv, export_json"),
                      key.c_str())};
}

void PanelExporter::request(ExportKind kind, std::string path) {
  pending_.push_back({kind, std::move(path)});
}

Result<std::string> PanelExporter::path_for(const Pending& pending) const {
  if (!pending.path.empty()) return pending.path;
  std::string folder = folder_;
  if (folder == "~" || folder.rfind("~/", 0) == 0) {
    if (const char* home = std::getenv("HOME"); home != nullptr)
      folder = std::string(home) + folder.substr(1);
  }
  const bool trace = pending.kind == ExportKind::Csv || pending.kind == ExportKind::Json;
  return fresh_export_path(folder, trace ? source_.stem + "-trace" : source_.stem, extension(pending.kind));
}

bool PanelExporter::begin_frame() {
  if (gif_ == nullptr) return false;
  auto next = gif_->next_step();
  if (!next) return false;
  source_.set_step(*next);
  return true;
}

void PanelExporter::end_frame(ImVec2 min, ImVec2 max, bool record_this_frame, PanelContext& context) {
  if (record_this_frame) capture_gif_frame(min, max, context);
  // A GIF in progress keeps the others waiting: they would capture its frames.
  while (!pending_.empty() && gif_ == nullptr) {
    const Pending next = pending_.front();
    pending_.erase(pending_.begin());
    start(next, min, max, context);
  }
}

void PanelExporter::start(const Pending& pending, ImVec2 min, ImVec2 max, PanelContext& context) {
  StatusBar* status = context.status;
  const auto fail = [status](const std::string& message) {
    if (status != nullptr) status->error(message);
  };
  auto path = path_for(pending);
  if (!path.ok()) return fail(path.message());
  const std::string file = path.value();
  switch (pending.kind) {
    case ExportKind::Csv:
    case ExportKind::Json: {
      auto text = source_.trace_text(pending.kind);
      if (!text.ok()) return fail(format(tr("Nothing to export: %s"), text.message().c_str()));
      Status written = write_text_file(file, text.value());
      if (!written.ok()) return fail(written.message());
      if (status != nullptr) status->info(platform::deliver_file(file));
      return;
    }
    case ExportKind::Gif:
      if (source_.step_count() == 0) return fail(tr("Nothing to record: there are no steps"));
      source_.pause();
      step_before_gif_ = source_.step_index();
      gif_ = std::make_unique<GifRecording>(file, source_.step_count());
      if (status != nullptr) status->info(tr("Recording the GIF…"));
      return;
    case ExportKind::Png:
      if (context.captures == nullptr) return fail(tr("PNG export needs the app's window"));
      ++captures_in_flight_;
      context.captures->push_back(
          {min.x, min.y, max.x, max.y, [this, status, file](Result<explore::RgbaFrame> frame) {
             --captures_in_flight_;
             Status saved =
                 frame.ok() ? save_image(file, rgb_from_frame(frame.value())) : Status(frame.error());
             if (status == nullptr) return;
             if (saved.ok())
               status->info(platform::deliver_file(file));
             else
               status->error(format(tr("PNG not saved: %s"), saved.message().c_str()));
           }});
      return;
  }
}

void PanelExporter::capture_gif_frame(ImVec2 min, ImVec2 max, PanelContext& context) {
  if (context.captures == nullptr) {
    if (context.status != nullptr) context.status->error(tr("GIF export needs the app's window"));
    gif_.reset();
    return;
  }
  StatusBar* status = context.status;
  ++captures_in_flight_;
  context.captures->push_back({min.x, min.y, max.x, max.y, [this, status](Result<explore::RgbaFrame> frame) {
                                 --captures_in_flight_;
                                 if (gif_ == nullptr) return;
                                 if (frame.ok())
                                   gif_->add_frame(std::move(frame).value());
                                 else
                                   gif_->fail(frame.message());
                                 if (!gif_->complete()) return;
                                 Status written = gif_->write();
                                 if (status != nullptr) {
                                   const int frames = static_cast<int>(gif_->planned_steps().size());
                                   const std::string what =
                                       gif_->stride() > 1
                                           ? format(tr("%d frames, one step in %d"), frames, gif_->stride())
                                           : format(tr("%d frames"), frames);
                                   if (written.ok())
                                     status->info(platform::deliver_file(gif_->path()) + " (" + what + ")");
                                   else
                                     status->error(written.message());
                                 }
                                 source_.set_step(step_before_gif_);
                                 gif_.reset();
                               }});
}

void PanelExporter::draw_controls(PanelContext& context) {
  (void)context;
  control_label(tr("Folder"));
  ImGui::InputText("##export folder", &folder_);
  const float width = (ImGui::GetContentRegionAvail().x - 3.0f * ImGui::GetStyle().ItemSpacing.x) / 4.0f;
  const std::array<std::pair<const char*, ExportKind>, 4> buttons = {{{"PNG", ExportKind::Png},
                                                                      {"GIF", ExportKind::Gif},
                                                                      {"CSV", ExportKind::Csv},
                                                                      {"JSON", ExportKind::Json}}};
  for (size_t i = 0; i < buttons.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    if (ImGui::Button(buttons[i].first, ImVec2(width, 0))) request(buttons[i].second);
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  control_label(tr("PNG: the picture. GIF: every step. CSV/JSON: every number of the trace."));
  ImGui::PopStyleColor();
}

}  // namespace convlab::app
