#include "app/app.h"

#include "platform/gl.h"
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "app/fonts.h"
#include "app/frame_stats.h"
#include "app/framebuffer_image.h"
#include "app/key_release_deferral.h"
#include "app/language.h"
#include "app/lesson_panel.h"
#include "app/link_state.h"
#include "app/model_opener.h"
#include "app/register_panels.h"
#include "app/status_bar.h"
#include "app/text_audit.h"
#include "app/theme.h"
#include "app/tour.h"
#include "app/view_file.h"
#include "core/base/i18n.h"
#include "core/io/asset_paths.h"
#include "platform/platform.h"
#include "platform/window.h"

namespace convlab::app {

namespace {

constexpr int kExitOk = 0, kExitRuntime = 1, kExitUsage = 2;
// ImGui sizes windows and tables from the previous frame: a few frames let
// the layout settle before a screenshot is taken.
constexpr int kScreenshotFrames = 4;
// A panel busy over frames (recording a GIF requested with --set) gets this
// many frames at most before the screenshot is taken anyway.
constexpr int kMaxBusyFrames = 20000;
constexpr float kScaleStep = 0.1f;
constexpr float kPresenterScale = 1.35f;

std::string gl_string(GLenum name) {
  const auto* text = reinterpret_cast<const char*>(glGetString(name));
  return text != nullptr ? text : "unknown";
}

// Everything that lives while the window is open: drawing each frame, the
// menu, shell keys, drag-and-drop.
class Shell {
 public:
  Shell(Window& window, PanelRegistry& panels, Settings settings, size_t first_panel, bool ignore_mouse)
      : window_(window),
        panels_(panels),
        settings_(settings),
        switch_to_(first_panel),
        active_(first_panel),
        ignore_mouse_(ignore_mouse) {
    context_.status = &status_;
    context_.captures = &captures_;
    context_.gl_vendor = gl_string(GL_VENDOR);
    context_.gl_renderer = gl_string(GL_RENDERER);
    context_.gl_version = gl_string(GL_VERSION);
    context_.panel = [this](const std::string& id, bool fresh) -> Panel* {
      auto index = panels_.find(id);
      if (!index.ok()) return nullptr;
      if (fresh) {
        if (auto replacement = create_panel(id)) panels_.replace(index.value(), std::move(replacement));
      }
      return &panels_.at(index.value());
    };
    context_.open_panel = [this](const std::string& id,
                                 const std::vector<std::pair<std::string, std::string>>& panel_settings) {
      open_panel(id, panel_settings);
    };
    context_.copy_link = [this] { copy_link(); };
    // Every copy (views, lesson steps, links) reaches the system's or the
    // browser's clipboard through the platform.
    ImGui::GetIO().SetClipboardTextFn = [](void*, const char* text) { platform::copy_text(text); };
    glfwSetWindowUserPointer(window_.handle(), this);
    glfwSetDropCallback(window_.handle(), [](GLFWwindow* w, int count, const char** paths) {
      static_cast<Shell*>(glfwGetWindowUserPointer(w))->on_drop(count, paths);
    });
    platform::on_link_changed([this](const std::string& fragment) { open_link(fragment); });
    platform::on_file_offered([this](const std::string& path) {
      const char* paths[] = {path.c_str()};
      on_drop(1, paths);
    });
  }

  StatusBar& status() { return status_; }
  const Settings& settings() const { return settings_; }

  // One frame up to (not including) the buffer swap.
  void render_frame() {
    if (style_dirty_) rebuild_style();
    context_.theme = settings_.theme;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Screenshots and benchmarks show the state that was set, not whatever
    // the virtual pointer happens to hover.
    if (ignore_mouse_) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    release_deferred_keys(window_.handle());  // this frame has read the keys
    follow_lesson_language();
    handle_keys();
    if (!presenter_) draw_menu();
    draw_main_window();
    draw_view_popup();
    ImGui::Render();
    int width = 0, height = 0;
    window_.framebuffer_size(width, height);
    glViewport(0, 0, width, height);
    const ImVec4 clear = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(clear.x, clear.y, clear.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    serve_captures(width, height);
  }

  bool quit_requested() const { return quit_; }
  bool active_panel_busy() const { return panels_.at(active_).busy(); }

 private:
  // Fonts are rasterised at the final pixel size (crisp), and the style's
  // paddings scaled to match; both happen between frames.
  void rebuild_style() {
    style_dirty_ = false;
    // Presenter mode: large type for the back of the room.
    const float scale = window_.content_scale() * settings_.scale * (presenter_ ? kPresenterScale : 1.0f);
    auto fonts = build_fonts(scale);
    if (fonts.ok()) {
      context_.ui_font = fonts->ui;
      context_.heading_font = fonts->heading;
      context_.mono_font = fonts->mono;
      context_.mono_large_font = fonts->mono_large;
      context_.bold_font = fonts->bold;
      context_.italic_font = fonts->italic;
    } else {
      status_.error(fonts.message());
      ImFont* fallback = ImGui::GetIO().Fonts->Fonts[0];
      context_.ui_font = context_.heading_font = context_.mono_font = context_.mono_large_font = fallback;
      context_.bold_font = context_.italic_font = fallback;
    }
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
    apply_theme(settings_.theme, scale);
  }

  void set_scale(float scale) {
    settings_.scale = std::clamp(std::round(scale * 10.0f) / 10.0f, kMinScale, kMaxScale);
    style_dirty_ = true;
    settings_changed();
    status_.info(format(tr("Scale %d%%"), static_cast<int>(std::lround(settings_.scale * 100))));
  }

  // Full screen (not in batch runs: screenshots keep their size), large
  // type, no menu, tabs or status bar. F11 / F5 / Escape.
  void set_presenter(bool on) {
    if (on == presenter_) return;
    presenter_ = on;
    context_.presenter = on;
    style_dirty_ = true;
    if (!ignore_mouse_) window_.set_fullscreen(on);
    if (on) status_.info(tr("Presenter mode: F11, F5 or Escape to leave"));
  }

  void set_theme(Theme theme) {
    settings_.theme = theme;
    style_dirty_ = true;
    settings_changed();
  }

  // Theme and scale are remembered as soon as they change (a browser tab
  // has no "on exit"); batch runs never write them.
  void settings_changed() {
    if (settings_path_.empty()) return;
    Status written = save_settings(settings_path_, settings_);
    if (written.ok())
      platform::keep_file(settings_path_);
    else
      status_.error(format(tr("Settings not saved: %s"), written.message().c_str()));
  }

  // Opening a lesson in the other language switches the UI to it, unless
  // the user picked a language.
  void follow_lesson_language() {
    if (language_chosen_) return;
    const auto* lesson = dynamic_cast<LessonPanel*>(&panels_.at(active_));
    if (lesson == nullptr || lesson->lesson().steps.empty()) return;
    const std::string& tag = lesson->lesson().language;
    if (!tag.empty() && tag != language_) set_language(tag, false);
  }

  void handle_keys() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;  // a text field owns the keyboard
    if (io.KeyCtrl) {
      if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD))
        set_scale(settings_.scale + kScaleStep);
      if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))
        set_scale(settings_.scale - kScaleStep);
      if (ImGui::IsKeyPressed(GLFW_KEY_0) || ImGui::IsKeyPressed(GLFW_KEY_KP_0)) set_scale(1.0f);
      if (ImGui::IsKeyPressed(GLFW_KEY_Q, false)) quit_ = true;
      return;
    }
    for (int n = 1; n <= 9; ++n)
      if (ImGui::IsKeyPressed(GLFW_KEY_0 + n, false) && static_cast<size_t>(n) <= panels_.size())
        switch_to_ = static_cast<size_t>(n - 1);
    if (ImGui::IsKeyPressed(GLFW_KEY_F11, false) || ImGui::IsKeyPressed(GLFW_KEY_F5, false))
      set_presenter(!presenter_);
    if (presenter_ && ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false)) set_presenter(false);
    if (ImGui::IsKeyPressed(GLFW_KEY_F1, false)) {
      auto about = panels_.find("about");
      if (about.ok()) switch_to_ = about.value();
    }
    const std::pair<int, StepKey> steps[] = {
        {GLFW_KEY_LEFT, StepKey::Previous},      {GLFW_KEY_RIGHT, StepKey::Next},
        {GLFW_KEY_SPACE, StepKey::PlayPause},    {GLFW_KEY_HOME, StepKey::First},
        {GLFW_KEY_END, StepKey::Last},           {GLFW_KEY_PAGE_UP, StepKey::PagePrevious},
        {GLFW_KEY_PAGE_DOWN, StepKey::PageNext},
    };
    for (const auto& [key, step] : steps)
      if (ImGui::IsKeyPressed(key)) panels_.at(active_).on_step(step);
  }

  void draw_menu() {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu(trc("menu", "File"))) {
      Panel& panel = panels_.at(active_);
      const std::string state = panel.state_text();
      if (ImGui::MenuItem(tr("Copy this view as a lesson step"), nullptr, false, !state.empty())) {
        ImGui::SetClipboardText(view_block(panel.id(), state).c_str());
        status_.info(tr("Copied: paste it into a lesson file, in a step."));
      }
      if (ImGui::MenuItem(tr("Save this view..."), nullptr, false, !state.empty())) {
        view_path_ = panel.id() + ".view";
        open_view_popup_ = 1;
      }
      if (ImGui::MenuItem(tr("Open a view..."))) open_view_popup_ = 2;
      if (ImGui::MenuItem(tr("Open model..."))) {
        view_path_.clear();
        open_view_popup_ = 3;
      }
      // The bundled models, in every build (the browser's reads no ONNX
      // file but opens these).
      if (ImGui::BeginMenu(tr("Bundled models"))) {
        if (ImGui::MenuItem(tr("TinyVGG classifier (7 categories, 64x64)")))
          open_panel("network", {{"model", "tinyvgg"}});
        if (ImGui::MenuItem(tr("ECNN colorizer"))) open_panel("network", {{"model", "ecnn"}});
        ImGui::EndMenu();
      }
      if (platform::has_file_chooser() && ImGui::MenuItem(tr("Open a file (photo, lesson, view)...")))
        platform::pick_file();
      if (ImGui::MenuItem(tr("Copy link to this view"))) {
        copy_link();
        status_.info(tr("Copied the link: it opens this view (put it in your slides)."));
      }
      ImGui::Separator();
      if (ImGui::MenuItem(tr("Presenter mode"), "F11", presenter_)) set_presenter(!presenter_);
      ImGui::Separator();
      if (ImGui::MenuItem(tr("Quit"), "Ctrl+Q")) quit_ = true;
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(trc("menu", "View"))) {
      if (ImGui::MenuItem(tr("Light theme"), nullptr, settings_.theme == Theme::Light))
        set_theme(Theme::Light);
      if (ImGui::MenuItem(tr("Dark theme"), nullptr, settings_.theme == Theme::Dark)) set_theme(Theme::Dark);
      ImGui::Separator();
      if (ImGui::MenuItem(tr("Bigger"), "Ctrl +")) set_scale(settings_.scale + kScaleStep);
      if (ImGui::MenuItem(tr("Smaller"), "Ctrl -")) set_scale(settings_.scale - kScaleStep);
      if (ImGui::MenuItem(tr("Reset size"), "Ctrl 0")) set_scale(1.0f);
      ImGui::Separator();
      if (ImGui::BeginMenu(tr("Language"))) {
        // Each language by its own name, so anyone can find theirs.
        for (const LanguageChoice& choice : ui_languages()) {
          const ContentText own_name;
          if (ImGui::MenuItem(choice.name, nullptr, language_ == choice.tag)) {
            set_language(choice.tag, true);
            settings_.language = choice.tag;
            settings_changed();
          }
        }
        ImGui::EndMenu();
      }
      ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(tr("Panels"))) {
      for (size_t i = 0; i < panels_.size(); ++i) {
        const std::string key = i < 9 ? std::to_string(i + 1) : "";
        if (ImGui::MenuItem(panels_.at(i).title().c_str(), key.c_str(), i == active_)) switch_to_ = i;
      }
      ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
  }

  // Save / open a view file: the panel's state as a lesson step block. The
  // popups' ids stay English ("###"), their titles follow the language.
  void draw_view_popup() {
    const bool saving = view_popup_ == 1 || open_view_popup_ == 1;
    const bool model = view_popup_ == 3 || open_view_popup_ == 3;
    const std::string title = model    ? std::string(tr("Open model")) + "###open-model"
                              : saving ? std::string(tr("Save view")) + "###save-view"
                                       : std::string(tr("Open view")) + "###open-view";
    if (open_view_popup_ != 0) {
      ImGui::OpenPopup(title.c_str());
      view_popup_ = open_view_popup_;
      open_view_popup_ = 0;
    }
    if (!ImGui::BeginPopupModal(title.c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    ImGui::TextUnformatted(model    ? tr("Open a model file (ONNX) in the network panel:")
                           : saving ? tr("Save the view to a file (share it, or paste it into a lesson):")
                                    : tr("Open a view file:"));
    ImGui::SetNextItemWidth(30.0f * ImGui::GetFontSize());
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool entered = ImGui::InputText("##view path", &view_path_, ImGuiInputTextFlags_EnterReturnsTrue);
    const bool go = ImGui::Button(saving ? tr("Save") : tr("Open")) || entered;
    if (go && model) {
      open_panel("network", {{"model", view_path_}});  // says what went wrong, or opens the panel
      ImGui::CloseCurrentPopup();
    } else if (go) {
      Status done = saving ? save_view(view_path_) : open_view(view_path_);
      if (done.ok())
        status_.info(saving ? platform::deliver_file(view_path_)
                            : format(tr("Opened %s"), view_path_.c_str()));
      else
        status_.error(done.message());
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("Cancel"))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }

 public:
  void set_settings_path(std::string path) { settings_path_ = std::move(path); }
  void remember_model_recipes(std::map<std::string, std::string> recipes) {
    settings_.model_recipes = std::move(recipes);
    settings_changed();
  }

  // The console contract: "convlab: ready|error|colorized ..." lines.
  void enable_log() {
    log_ = true;
    context_.log = [](const std::string& line) { platform::console_line("convlab: " + line); };
    status_.on_error = [](const std::string& message) {
      platform::console_line("convlab: error " + message);
    };
  }
  // A state was applied: "ready" is printed again once the panel is idle.
  void state_applied() {
    ready_sent_ = false;
    idle_frames_ = 0;
  }
  // Called after each frame: prints "ready" once the active panel has been
  // idle for a few frames (ImGui's layout has settled, work is done).
  void after_frame() {
    if (!log_ || ready_sent_) return;
    if (active_panel_busy()) {
      idle_frames_ = 0;
      return;
    }
    if (++idle_frames_ < kScreenshotFrames) return;
    ready_sent_ = true;
    std::string line = "convlab: ready " + panels_.at(active_).id();
    for (const auto& [key, value] : link_pairs())
      if (key != "panel") line += " " + key + "=" + value;
    platform::console_line(line);
  }

  // The page's address with the active view's fragment (on the desktop the
  // fragment alone, which `convlab --link` opens).
  void copy_link() { platform::copy_text(platform::page_address() + make_link(link_pairs())); }

  // The active view as link keys: a lesson by name and step, any other panel
  // by its state text; presenter mode when on.
  std::vector<std::pair<std::string, std::string>> link_pairs() {
    std::vector<std::pair<std::string, std::string>> pairs;
    Panel& panel = panels_.at(active_);
    if (auto* lesson = dynamic_cast<LessonPanel*>(&panel); lesson && !lesson->lesson().steps.empty()) {
      pairs.emplace_back("lesson", lesson_link_name(lesson->lesson().path, lessons_folder().value_or("")));
      pairs.emplace_back("step", std::to_string(lesson->step() + 1));
    } else {
      pairs.emplace_back("panel", panel.id());
      for (auto& pair : state_pairs(panel.state_text())) pairs.push_back(std::move(pair));
    }
    if (presenter_) pairs.emplace_back("presenter", "1");
    if (language_chosen_) pairs.emplace_back("lang", language_);
    return pairs;
  }

  Status save_view(const std::string& path) {
    Panel& panel = panels_.at(active_);
    return write_view_file(path, panel.id(), panel.state_text());
  }

  // The view's panel, fresh, with the view's settings; then shown.
  Status open_view(const std::string& path) {
    auto view = read_view_file(path);
    if (!view.ok()) return view.error();
    auto index = panels_.find(view->panel);
    if (!index.ok()) return Error{format(tr("%s: %s"), path.c_str(), index.message().c_str())};
    auto fresh = create_panel(view->panel);
    for (const auto& [key, value] : view->settings) {
      Status applied = fresh->apply_setting(key, value);
      if (!applied.ok()) return Error{format(tr("%s: %s"), path.c_str(), applied.message().c_str())};
    }
    panels_.replace(index.value(), std::move(fresh));
    switch_to_ = index.value();
    active_ = index.value();
    return {};
  }

  void set_presenter_now(bool on) { set_presenter(on); }

  // A fresh panel with these settings, shown from the next frame (--tour).
  Status show_fresh(const std::string& id, const std::vector<std::pair<std::string, std::string>>& settings) {
    auto index = panels_.find(id);
    if (!index.ok()) return index.error();
    auto fresh = create_panel(id);
    for (const auto& [key, value] : settings) {
      Status applied = fresh->apply_setting(key, value);
      if (!applied.ok()) return applied;
    }
    panels_.replace(index.value(), std::move(fresh));
    switch_to_ = index.value();
    return {};
  }
  // One more setting on a panel that is shown (--tour's failing settings).
  Status apply_setting(const std::string& id, const std::string& key, const std::string& value) {
    auto index = panels_.find(id);
    if (!index.ok()) return index.error();
    return panels_.at(index.value()).apply_setting(key, value);
  }
  std::vector<std::string> panel_ids() const {
    std::vector<std::string> ids;
    for (size_t i = 0; i < panels_.size(); ++i) ids.push_back(panels_.at(i).id());
    return ids;
  }
  const std::string& language() const { return language_; }

  // The UI's language. `chosen`: the user asked for it (--lang, lang= in a
  // link, View > Language); otherwise a lesson in another language may
  // switch it.
  void set_language(const std::string& tag, bool chosen) {
    language_chosen_ = language_chosen_ || chosen;
    if (tag == language_) return;
    Status used = platform::use_language(tag, locale_folder());
    if (!used.ok()) {
      status_.error(used.message());
      return;
    }
    language_ = tag;
  }
  LessonPanel* lesson_panel() {
    auto index = panels_.find("lesson");
    return index.ok() ? dynamic_cast<LessonPanel*>(&panels_.at(index.value())) : nullptr;
  }

 private:
  void draw_main_window() {
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    // No background: glClear already paints the window color, and on a
    // software renderer every full-window fill costs milliseconds.
    const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoBackground;
    // Presenter mode: a thin margin at the sides only (text must not touch
    // the screen's edge); the rest goes to the lesson and its picture.
    if (presenter_)
      ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(std::round(0.3f * ImGui::GetFontSize()), 0));
    ImGui::Begin("##convlab", nullptr, flags);
    if (presenter_) ImGui::PopStyleVar();
    if (presenter_) {
      // The active panel alone, edge to edge.
      if (switch_to_ != kNoSwitch) active_ = switch_to_;
      switch_to_ = kNoSwitch;
      ImGui::BeginChild("panel", ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
      panels_.at(active_).draw(context_);
      ImGui::EndChild();
      ImGui::End();
      return;
    }
    if (ImGui::BeginTabBar("panels")) {
      // Taken before drawing: a panel may ask for a switch (open_panel) for the next frame.
      const size_t requested = switch_to_;
      switch_to_ = kNoSwitch;
      // ImGui selects a requested tab from the next frame on; until then the
      // requested panel counts as the active one (--screenshot waits for it).
      if (requested != kNoSwitch) active_ = requested;
      for (size_t i = 0; i < panels_.size(); ++i) {
        Panel& panel = panels_.at(i);
        // "1  Convolution###conv": the number is the shortcut; the id after
        // ### keeps the tab stable if titles change.
        const std::string label = std::to_string(i + 1) + "  " + panel.title() + "###" + panel.id();
        const ImGuiTabItemFlags tab_flags = requested == i ? ImGuiTabItemFlags_SetSelected : 0;
        if (ImGui::BeginTabItem(label.c_str(), nullptr, tab_flags)) {
          if (requested == kNoSwitch || requested == i) active_ = i;
          ImGui::BeginChild("panel", ImVec2(0, -StatusBar::height()), false, ImGuiWindowFlags_NoBackground);
          panel.draw(context_);
          ImGui::EndChild();
          ImGui::EndTabItem();
        }
      }
      ImGui::EndTabBar();
    }
    const std::string right = format(tr("Scale %d%%"), static_cast<int>(std::lround(settings_.scale * 100))) +
                              "   " + context_.gl_renderer;
    status_.draw(settings_.theme, right, ImGui::GetTime());
    ImGui::End();
  }

  // Reads back what panels asked for, from the frame just rendered (the back
  // buffer, before the swap). ImGui coordinates are scaled to framebuffer
  // pixels (HiDPI) and flipped (OpenGL counts rows from the bottom).
  void serve_captures(int fb_width, int fb_height) {
    if (captures_.empty()) return;
    std::vector<CaptureRequest> requests;
    requests.swap(captures_);  // a callback may queue the next request
    const ImVec2 scale = ImGui::GetIO().DisplayFramebufferScale;
    for (CaptureRequest& request : requests) {
      const int x0 = std::clamp(static_cast<int>(std::floor(request.x0 * scale.x)), 0, fb_width);
      const int x1 = std::clamp(static_cast<int>(std::ceil(request.x1 * scale.x)), 0, fb_width);
      const int y0 = std::clamp(static_cast<int>(std::floor(request.y0 * scale.y)), 0, fb_height);
      const int y1 = std::clamp(static_cast<int>(std::ceil(request.y1 * scale.y)), 0, fb_height);
      if (x1 <= x0 || y1 <= y0) {
        request.done(Error{tr("nothing to capture: the area is outside the window")});
        continue;
      }
      explore::RgbaFrame frame;
      frame.width = x1 - x0;
      frame.height = y1 - y0;
      const size_t row_bytes = static_cast<size_t>(frame.width) * 4;
      std::vector<uint8_t> bottom_up(row_bytes * static_cast<size_t>(frame.height));
      glPixelStorei(GL_PACK_ALIGNMENT, 1);
      glReadBuffer(GL_BACK);
      glReadPixels(x0, fb_height - y1, frame.width, frame.height, GL_RGBA, GL_UNSIGNED_BYTE,
                   bottom_up.data());
      frame.pixels.resize(bottom_up.size());
      for (int row = 0; row < frame.height; ++row)
        std::copy_n(bottom_up.data() + static_cast<size_t>(frame.height - 1 - row) * row_bytes, row_bytes,
                    frame.pixels.data() + static_cast<size_t>(row) * row_bytes);
      request.done(std::move(frame));
    }
  }

  // A link given while the app runs: its panel, fresh, with its settings (a
  // bad one reported, the rest applied), or its lesson and step.
  void open_link(const std::string& fragment) {
    const LinkState link = parse_link(fragment);
    for (const std::string& problem : link.problems) status_.error(format(tr("Link: %s"), problem.c_str()));
    if (link.presenter != presenter_) set_presenter(link.presenter);
    if (!link.language.empty()) set_language(link.language, true);
    if (!link.lesson.empty()) {
      std::vector<std::pair<std::string, std::string>> settings = {
          {"file", resolve_lesson(link.lesson, lessons_folder().value_or("lessons"))}};
      if (link.step > 0) settings.emplace_back("step", std::to_string(link.step));
      open_panel("lesson", settings);
    } else {
      const std::string id = link.panel.empty() ? panels_.at(active_).id() : link.panel;
      auto index = panels_.find(id);
      if (!index.ok()) {
        status_.error(format(tr("Link: %s"), ("panel: " + index.message()).c_str()));
        return;
      }
      auto fresh = create_panel(id);
      for (const PanelSetting& setting : link.settings) {
        Status applied = fresh->apply_setting(setting.key, setting.value);
        if (!applied.ok()) status_.error(format(tr("Link: %s"), applied.message().c_str()));
      }
      panels_.replace(index.value(), std::move(fresh));
      switch_to_ = index.value();
    }
    state_applied();
  }

  void open_panel(const std::string& id, const std::vector<std::pair<std::string, std::string>>& settings) {
    auto index = panels_.find(id);
    if (!index.ok()) {
      status_.error(index.message());
      return;
    }
    Panel& panel = panels_.at(index.value());
    for (const auto& [key, value] : settings) {
      Status applied = panel.apply_setting(key, value);
      if (!applied.ok()) {
        status_.error(applied.message());
        return;
      }
    }
    switch_to_ = index.value();
    status_.info(format(tr("Opened in the %s panel."), panel.title().c_str()));
  }

  void on_drop(int count, const char** paths) {
    for (int i = 0; i < count; ++i) {
      const std::string path = paths[i];
      const std::string extension = std::filesystem::path(path).extension().string();
      // A view or a lesson opens wherever it is dropped.
      if (extension == ".view") {
        Status opened = open_view(path);
        if (opened.ok())
          status_.info(format(tr("Opened %s"), path.c_str()));
        else
          status_.error(opened.message());
        continue;
      }
      if (extension == ".md") {
        open_panel("lesson", {{"file", path}});
        continue;
      }
      if (extension == ".onnx") {
        open_panel("network", {{"model", path}});
        continue;
      }
      Panel& panel = panels_.at(active_);
      if (panel.on_file_dropped(path)) continue;
      // A photo dropped on a panel that takes none goes to the colorizer.
      if (auto network = panels_.find("network");
          network.ok() && panels_.at(network.value()).on_file_dropped(path)) {
        switch_to_ = network.value();
        continue;
      }
      std::string takers;
      for (const std::string& title : panels_.titles_taking_files())
        takers += (takers.empty() ? "" : ", ") + title;
      status_.error(format(tr("The %s panel does not open files."), panel.title().c_str()) + " " +
                    (takers.empty() ? std::string(tr("No panel in this version opens dropped files yet."))
                                    : format(tr("Drop images on: %s."), takers.c_str())));
      return;
    }
  }

  static constexpr size_t kNoSwitch = static_cast<size_t>(-1);
  Window& window_;
  PanelRegistry& panels_;
  Settings settings_;
  PanelContext context_;
  std::vector<CaptureRequest> captures_;
  StatusBar status_;
  size_t switch_to_;
  size_t active_;
  bool ignore_mouse_ = false;
  bool presenter_ = false;
  int open_view_popup_ = 0, view_popup_ = 0;  // 1 save, 2 open a view, 3 open a model
  std::string view_path_;
  bool style_dirty_ = true;
  bool quit_ = false;
  std::string settings_path_;  // empty: batch run, nothing written
  std::string language_ = "en";
  bool language_chosen_ = false;
  bool log_ = false, ready_sent_ = false;
  int idle_frames_ = 0;
};

Status save_screenshot(Window& window, const std::string& path) {
  int width = 0, height = 0;
  window.framebuffer_size(width, height);
  std::vector<uint8_t> rows(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rows.data());
  return save_image(path, image_from_gl_rows(width, height, rows));
}

// What the frames are for. Each mode is a small state machine that the
// platform's loop calls once per frame, so the same code runs under the
// desktop's loop and the browser's animation frames.
class FrameDriver {
 public:
  virtual ~FrameDriver() = default;
  // Renders one frame; false when the run is over (exit_code() says how).
  virtual bool frame(Window& window, Shell& shell) = 0;
  int exit_code() const { return code_; }

 protected:
  static void render(Window& window, Shell& shell, bool swap = true) {
    glfwPollEvents();
    shell.render_frame();
    if (swap) glfwSwapBuffers(window.handle());
    shell.after_frame();
  }
  int code_ = kExitOk;
};

// The app as people use it: until the window closes or Ctrl+Q.
class InteractiveDriver final : public FrameDriver {
 public:
  bool frame(Window& window, Shell& shell) override {
    if (glfwWindowShouldClose(window.handle()) || shell.quit_requested()) return false;
    render(window, shell);
    return true;
  }
};

// --screenshot: frames until the panel is idle, a few more for the layout,
// then the back buffer of the last one is saved.
class ScreenshotDriver final : public FrameDriver {
 public:
  explicit ScreenshotDriver(std::string path) : path_(std::move(path)) {}
  bool frame(Window& window, Shell& shell) override {
    if (busy_frames_ < kMaxBusyFrames && shell.active_panel_busy()) {
      ++busy_frames_;
      render(window, shell);
      return true;
    }
    const bool last = ++settle_frames_ == kScreenshotFrames;
    render(window, shell, !last);
    if (!last) return true;
    Status saved = save_screenshot(window, path_);
    if (!saved.ok()) {
      std::fprintf(stderr, "convlab: --screenshot: %s\n", saved.message().c_str());
      code_ = kExitRuntime;
      return false;
    }
    int width = 0, height = 0;
    window.framebuffer_size(width, height);
    std::printf("convlab: saved %s (%dx%d)\n", path_.c_str(), width, height);
    return false;
  }

 private:
  std::string path_;
  int busy_frames_ = 0, settle_frames_ = 0;
};

// --bench-frames N: the median frame time, the GPU's work included.
class BenchDriver final : public FrameDriver {
 public:
  explicit BenchDriver(int frames) : frames_(frames) { ms_.reserve(static_cast<size_t>(frames)); }
  bool frame(Window& window, Shell& shell) override {
    // Frames while the panel still works (a colorize in flight) and a few
    // after it are not the steady frame being measured: they are rendered
    // untimed, as --screenshot waits for an idle panel.
    if (warmup_frames_ < kMaxBusyFrames &&
        (shell.active_panel_busy() || settle_frames_ < kScreenshotFrames)) {
      ++warmup_frames_;
      if (!shell.active_panel_busy()) ++settle_frames_;
      render(window, shell);
      return true;
    }
    const auto start = std::chrono::steady_clock::now();
    render(window, shell);
    glFinish();  // count the GPU's work, not just the queueing of it
    ms_.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (static_cast<int>(ms_.size()) < frames_) return true;
    std::printf("frames %d  median %.3f ms  (%s)\n", frames_, median(ms_), gl_string(GL_RENDERER).c_str());
    return false;
  }

 private:
  int frames_;
  int warmup_frames_ = 0, settle_frames_ = 0;
  std::vector<double> ms_;
};

// --play / play=1: every step of the lesson rendered until its panel is
// done; a step whose settings fail, or that puts an error on the status
// bar, fails the run.
class PlayDriver final : public FrameDriver {
 public:
  bool frame(Window& window, Shell& shell) override {
    LessonPanel* lesson = shell.lesson_panel();
    if (lesson == nullptr || lesson->lesson().steps.empty()) {
      std::fprintf(stderr, "convlab: --play needs --lesson FILE\n");
      code_ = kExitUsage;
      return false;
    }
    const int steps = static_cast<int>(lesson->lesson().steps.size());
    if (frame_ == 0) {
      (void)lesson->apply_setting("step", std::to_string(step_ + 1));
      shell.status().info("");
    }
    render(window, shell);
    ++frame_;
    if (frame_ < kMaxBusyFrames && (frame_ < kScreenshotFrames || shell.active_panel_busy())) return true;
    const bool error = !lesson->step_errors().empty() || shell.status().is_error();
    const std::string& title = lesson->lesson().steps[static_cast<size_t>(step_)].title;
    platform::console_line("step " + std::to_string(step_ + 1) + "/" + std::to_string(steps) + " " + title +
                           ": " + (error ? "FAILED" : "ok"));
    if (error) {
      ++failed_;
      std::fprintf(stderr, "%s%s\n", lesson->step_errors().c_str(),
                   shell.status().is_error() ? shell.status().message().c_str() : "");
    }
    frame_ = 0;
    if (++step_ < steps) return true;
    platform::console_line(lesson->lesson().path + ": " + std::to_string(steps - failed_) + " of " +
                           std::to_string(steps) + " steps ok");
    platform::console_line("convlab: played " + std::to_string(steps) + " steps, " + std::to_string(failed_) +
                           " failed");
    code_ = failed_ == 0 ? kExitOk : kExitRuntime;
    return false;
  }

 private:
  int step_ = 0, frame_ = 0, failed_ = 0;
};

// --tour DIR: every screen of tour.h in turn, each rendered until its panel
// is idle, its last frame marked for the text audit (text_audit.h) and
// saved as DIR/<screen>.png. A screen whose settings fail, or that puts an
// error on the status bar, fails the run; but a screen's `failing` setting
// must fail, and its error is shown on the status bar.
class TourDriver final : public FrameDriver {
 public:
  TourDriver(std::string folder, std::string only) : folder_(std::move(folder)), only_(std::move(only)) {}
  bool frame(Window& window, Shell& shell) override {
    if (!started_) {
      started_ = true;
      screens_ =
          tour_screens(shell.panel_ids(), lessons_folder().value_or("lessons"), shell.language(), only_);
      std::error_code ec;
      std::filesystem::create_directories(folder_, ec);
      if (screens_.empty()) {
        std::fprintf(stderr, "convlab: --tour: no screen's name starts with '%s'\n", only_.c_str());
        code_ = kExitUsage;
        return false;
      }
    }
    if (index_ >= screens_.size()) {
      platform::console_line("convlab: toured " + std::to_string(screens_.size()) + " screens, " +
                             std::to_string(failed_) + " failed");
      code_ = failed_ == 0 ? kExitOk : kExitRuntime;
      return false;
    }
    const TourScreen& screen = screens_[index_];
    if (frame_ == 0) {
      shell.status().info("");
      Status shown = shell.show_fresh(screen.panel, screen.settings);
      const auto& [bad_key, bad_value] = screen.failing;
      if (shown.ok() && !bad_key.empty()) {
        Status failed = shell.apply_setting(screen.panel, bad_key, bad_value);
        if (failed.ok())
          shown = Error{bad_key + "=" + bad_value + " was accepted, but this screen shows its error"};
        else
          shell.status().error(failed.message());
      }
      if (!shown.ok()) {
        platform::console_line("convlab: screen " + screen.name + " FAILED: " + shown.message());
        ++failed_;
        ++index_;
        return true;
      }
    }
    ++frame_;
    if (frame_ < kMaxBusyFrames && (frame_ < kScreenshotFrames || shell.active_panel_busy())) {
      render(window, shell);
      return true;
    }
    audited_frame().active = true;
    audited_frame().screen = screen.name;
    render(window, shell, false);
    audited_frame().active = false;
    const std::string path = (std::filesystem::path(folder_) / (screen.name + ".png")).string();
    Status saved = save_screenshot(window, path);
    const bool error = (shell.status().is_error() && screen.failing.first.empty()) || !saved.ok();
    std::string line = "convlab: screen " + screen.name;
    if (error) line += " FAILED: " + (saved.ok() ? shell.status().message() : saved.message());
    platform::console_line(line);
    if (error) ++failed_;
    glfwSwapBuffers(window.handle());
    frame_ = 0;
    ++index_;
    return true;
  }

 private:
  std::string folder_, only_;
  std::vector<TourScreen> screens_;
  bool started_ = false;
  size_t index_ = 0;
  int frame_ = 0, failed_ = 0;
};

// Everything the running app owns, on the heap: in the browser the main loop
// outlives run_app's stack frame.
struct RunningApp {
  PanelRegistry panels;
  std::unique_ptr<Window> window;
  std::unique_ptr<Shell> shell;
  std::unique_ptr<FrameDriver> driver;
  std::string settings_path;
  bool batch = false;

  // After the last frame: panels free their GL objects while the context
  // lives; the window's size is remembered.
  int close() {
    Settings final_settings = shell->settings();
    // The platform must not call into the shell once it is gone (a page
    // whose app has ended can still get a link or a picked file).
    platform::on_link_changed(nullptr);
    platform::on_file_offered(nullptr);
    recipe_memory().changed = nullptr;
    shell.reset();
    panels.clear();
    if (!batch) {
      // Saved in the size the user chose, before the monitor's scale.
      int width = 0, height = 0;
      window->size(width, height);
      const float content = window->content_scale();
      final_settings.window_width = std::clamp(
          static_cast<int>(std::lround(static_cast<float>(width) / content)), kMinWindowSide, kMaxWindowSide);
      final_settings.window_height =
          std::clamp(static_cast<int>(std::lround(static_cast<float>(height) / content)), kMinWindowSide,
                     kMaxWindowSide);
      Status written = save_settings(settings_path, final_settings);
      if (written.ok())
        platform::keep_file(settings_path);
      else
        std::fprintf(stderr, "convlab: warning: settings not saved: %s\n", written.message().c_str());
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    const int code = driver->exit_code();
    window.reset();
    return code;
  }
};

// A link's state, applied before the window opens. Unlike --set, a bad
// value does not stop the app: it is reported and the rest still opens.
void apply_link(const LinkState& link, AppOptions& options, std::vector<std::string>& problems) {
  problems = link.problems;
  if (!link.panel.empty()) options.panel = link.panel;
  if (!link.lesson.empty())
    options.lesson = resolve_lesson(link.lesson, lessons_folder().value_or("lessons"));
  if (link.step > 0) options.step = link.step;
  options.presenter = options.presenter || link.presenter;
  options.play = options.play || link.play;
  options.log = options.log || link.log;
}

}  // namespace

int run_app(const AppOptions& given) {
  AppOptions options = given;
  std::vector<std::string> link_problems;
  LinkState link;
  // The browser's page fragment, or --link on the desktop.
  const std::string link_text = !options.link.empty() ? options.link : platform::opened_link();
  if (!link_text.empty()) {
    link = parse_link(link_text);
    apply_link(link, options, link_problems);
  }

  // Every option and setting is checked before a window opens, so a typo
  // never leaves a window behind.
  auto app = std::make_unique<RunningApp>();
  app->batch = options.batch();
  app->settings_path = app->batch ? "" : default_settings_path();
  if (!app->settings_path.empty()) platform::restore_file(app->settings_path);
  std::string warning;
  Settings saved = load_settings(app->settings_path, warning);
  if (!warning.empty()) std::fprintf(stderr, "convlab: warning: %s\n", warning.c_str());
  // A model opened below (--model, a view) comes back with its preprocessing.
  recipe_memory().recipes = saved.model_recipes;
  auto settings = apply_options(saved, options);
  if (!settings.ok()) {
    std::fprintf(stderr, "convlab: %s\n", settings.message().c_str());
    return kExitUsage;
  }

  // The language: --lang, a link's lang=, the saved choice, else the
  // system's. Batch runs (screenshots, tests) are English unless told.
  std::string language = "en";
  bool language_chosen = true;
  if (!options.lang.empty()) {
    auto tag = parse_language_tag(options.lang, "--lang: ");
    if (!tag.ok()) {
      std::fprintf(stderr, "convlab: %s\n", tag.message().c_str());
      return kExitUsage;
    }
    language = tag.value();
  } else if (!link.language.empty()) {
    language = link.language;
  } else if (!settings->language.empty()) {
    language = settings->language;
  } else {
    language_chosen = false;
    if (!app->batch) language = ui_language_for(platform::preferred_language());
  }

  // The catalog already, so the link's problems and the panels' errors below
  // come in the UI's language (the shell takes the language over later).
  if (language != "en" && platform::use_language(language, locale_folder()).ok() && !link_text.empty()) {
    link = parse_link(link_text);
    apply_link(link, options, link_problems);
  }

  PanelRegistry& panels = app->panels;
  panels = make_panels();
  size_t first_panel = 0;
  if (!options.panel.empty()) {
    auto found = panels.find(options.panel);
    if (!found.ok()) {
      if (link_text.empty()) {
        std::fprintf(stderr, "convlab: --panel: %s\n", found.message().c_str());
        return kExitUsage;
      }
      link_problems.push_back("panel: " + found.message());
    } else {
      first_panel = found.value();
    }
  }
  // A lesson (and its step) opens in the lesson panel.
  if (!options.lesson.empty()) {
    auto lesson = panels.find("lesson");
    if (lesson.ok()) {
      if (options.panel.empty()) first_panel = lesson.value();
      Status opened = panels.at(lesson.value()).apply_setting("file", options.lesson);
      if (!opened.ok() && !link_text.empty()) {
        link_problems.push_back("lesson: " + opened.message());
      } else if (opened.ok() && options.step > 0) {
        opened = panels.at(lesson.value()).apply_setting("step", std::to_string(options.step));
        if (!opened.ok() && !link_text.empty()) {
          link_problems.push_back(opened.message());
          opened = {};
        }
      }
      if (!opened.ok()) {
        std::fprintf(stderr, "convlab: --lesson: %s\n", opened.message().c_str());
        return kExitUsage;
      }
    }
  } else if (options.step > 0 && link_text.empty()) {
    std::fprintf(stderr, "convlab: --step needs --lesson FILE\n");
    return kExitUsage;
  }
  // A saved view replaces its panel's fresh state and opens it.
  if (!options.view.empty()) {
    auto view = read_view_file(options.view);
    auto index = view.ok() ? panels.find(view->panel) : Result<size_t>(view.error());
    if (!index.ok()) {
      std::fprintf(stderr, "convlab: --view: %s\n", index.message().c_str());
      return kExitUsage;
    }
    for (const auto& [key, value] : view->settings) {
      Status applied = panels.at(index.value()).apply_setting(key, value);
      if (!applied.ok()) {
        std::fprintf(stderr, "convlab: --view: %s: %s\n", options.view.c_str(), applied.message().c_str());
        return kExitUsage;
      }
    }
    if (options.panel.empty()) first_panel = index.value();
  }
  // A model opens in the network panel before the --set that change it.
  if (!options.model.empty()) {
    auto network = panels.find("network");
    Status opened = network.ok() ? panels.at(network.value()).apply_setting("model", options.model)
                                 : Status(network.error());
    if (!opened.ok()) {
      std::fprintf(stderr, "convlab: --model: %s\n", opened.message().c_str());
      return kExitUsage;
    }
    if (options.panel.empty() && options.view.empty()) first_panel = network.value();
  }
  for (const std::string& text : options.set) {
    auto setting = parse_panel_setting(text);
    Status applied = setting.ok() ? panels.at(first_panel).apply_setting(setting->key, setting->value)
                                  : Status(setting.error());
    if (!applied.ok()) {
      std::fprintf(stderr, "convlab: --set %s: %s\n", text.c_str(), applied.message().c_str());
      return kExitUsage;
    }
  }
  // The link's own settings: each bad one reported, the others applied.
  for (const PanelSetting& setting : link.settings) {
    Status applied = panels.at(first_panel).apply_setting(setting.key, setting.value);
    if (!applied.ok()) link_problems.push_back(applied.message());
  }

  auto window =
      Window::create(settings->window_width, settings->window_height, "ConvLab", options.bench_frames == 0);
  if (!window.ok()) {
    std::fprintf(stderr, "convlab: %s\n", window.message().c_str());
    return kExitRuntime;
  }
  app->window = std::move(window).value();

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // the shell keeps its own settings file
  ImGui_ImplGlfw_InitForOpenGL(app->window->handle(), true);
  install_key_release_deferral(app->window->handle());  // a clicker's quick press is not lost
  ImGui_ImplOpenGL3_Init(platform::glsl_version());

  app->shell = std::make_unique<Shell>(*app->window, panels, settings.value(), first_panel, app->batch);
  Shell& shell = *app->shell;
  shell.set_settings_path(app->settings_path);
  recipe_memory().changed = [&shell] { shell.remember_model_recipes(recipe_memory().recipes); };
  if (options.log) shell.enable_log();
  shell.set_language(language, language_chosen);
  if (!warning.empty()) shell.status().error(warning);
  for (const std::string& problem : link_problems)
    shell.status().error(format(tr("Link: %s"), problem.c_str()));
  if (options.presenter) shell.set_presenter_now(true);
  shell.state_applied();

  if (!options.tour.empty())
    app->driver = std::make_unique<TourDriver>(options.tour, options.tour_only);
  else if (options.play)
    app->driver = std::make_unique<PlayDriver>();
  else if (!options.screenshot.empty())
    app->driver = std::make_unique<ScreenshotDriver>(options.screenshot);
  else if (options.bench_frames > 0)
    app->driver = std::make_unique<BenchDriver>(options.bench_frames);
  else
    app->driver = std::make_unique<InteractiveDriver>();

  // The desktop's loop returns here with the exit code; the browser's never
  // returns (its page lives on), and `app` lives with it.
  RunningApp* running = app.release();
  auto code = std::make_shared<int>(kExitOk);
  platform::run_main_loop([running] { return running->driver->frame(*running->window, *running->shell); },
                          [running, code] {
                            *code = running->close();
                            delete running;
                          });
  return *code;
}

}  // namespace convlab::app
