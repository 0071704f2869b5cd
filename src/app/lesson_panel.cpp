#include "app/lesson_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/lesson_check.h"
#include "app/lesson_text.h"
#include "app/panel_widgets.h"
#include "app/status_bar.h"
#include "app/text_audit.h"
#include "app/ui_label.h"
#include "app/view_file.h"
#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"
#include "core/io/asset_paths.h"
#include "core/lesson/library.h"

namespace convlab::app {

namespace fs = std::filesystem;
namespace st = explore::setting_text;

// The navigation under the step text, laid out for the column: Previous /
// Next, then the two copy buttons side by side with their long labels, side
// by side with short ones, or one above the other; in a short column a "…"
// menu instead.
struct LessonNavLayout {
  // A short column (a big scale on a small screen): Previous / Next and a
  // "…" button whose menu holds the rest, so the step's text keeps the room.
  bool more_menu = false;
  bool arrows_only = false;  // Previous / Next as ← / → (a very narrow column)
  bool short_copy = false;   // "Copy view" / "Copy link"
  bool stacked_copy = false;
  int rows = 0;
};

namespace {

constexpr double kReloadCheckSeconds = 0.5;

// Whether a button with this label fits `width`.
bool fits(const char* label, float width) {
  return ImGui::CalcTextSize(label).x + 2.0f * ImGui::GetStyle().FramePadding.x <= width;
}

// The width of the "…" button: a square.
float more_button_width() { return ImGui::GetFrameHeight(); }

LessonNavLayout nav_layout(float width, float height, bool presenter) {
  LessonNavLayout layout;
  layout.rows = 1;
  const ImGuiStyle& style = ImGui::GetStyle();
  if (!presenter) {
    // Under 8 lines of text left with the full rows of buttons: the menu.
    const float full_rows_h = 3.2f * ImGui::GetFrameHeightWithSpacing();
    layout.more_menu = height - full_rows_h < 8.0f * ImGui::GetTextLineHeightWithSpacing();
  }
  const float row = layout.more_menu ? width - more_button_width() - style.ItemSpacing.x : width;
  const float half = 0.5f * (row - style.ItemSpacing.x);
  layout.arrows_only = !fits(tr("← Previous"), half) || !fits(tr("Next →"), half);
  if (presenter || layout.more_menu) return layout;
  if (!fits(tr("Copy this view as a step"), half) || !fits(tr("Copy a link to this step"), half)) {
    layout.short_copy = true;
    layout.stacked_copy = !fits(tr("Copy view"), half) || !fits(tr("Copy link"), half);
    // Stacked, each has the whole width: the long label where it fits.
    if (layout.stacked_copy)
      layout.short_copy =
          !fits(tr("Copy this view as a step"), width) || !fits(tr("Copy a link to this step"), width);
  }
  layout.rows += layout.stacked_copy ? 3 : 2;
  return layout;
}

}  // namespace

LessonPanel::LessonPanel() : Panel("lesson", tr_noop("Lesson")) {}

Status LessonPanel::open(const std::string& path) {
  std::string file = path;
  // A shipped lesson by name: "en/02-padding" or "02-padding" (this language).
  std::error_code ec;  // a name the file system refuses (too long, say) is just not a file
  if (!fs::is_regular_file(file, ec)) {
    if (auto folder = lessons_folder()) {
      for (const std::string& candidate :
           {*folder + "/" + path + ".md", *folder + "/" + language_ + "/" + path + ".md"})
        if (fs::is_regular_file(candidate, ec)) file = candidate;
    }
  }
  std::vector<lesson::Problem> problems;
  lesson::Lesson parsed = lesson::load_lesson(file, problems);
  if (!problems.empty()) {
    const std::string text = lesson::format_problems(file, problems);
    return Error{text.substr(0, text.size() - 1)};
  }
  path_ = file;
  path_box_.clear();  // the field is for typing another lesson's path
  lesson_ = std::move(parsed);
  problems_.clear();
  modified_ = fs::last_write_time(file, ec);
  language_ = lesson_.language;
  language_chosen_ = true;
  intro_ = lesson::parse_markdown(lesson_.introduction);
  go_to(0);
  applied_step_ = -1;
  return {};
}

void LessonPanel::go_to(int step) {
  if (lesson_.steps.empty()) return;
  const int clamped = std::clamp(step, 0, static_cast<int>(lesson_.steps.size()) - 1);
  if (clamped == step_ && !text_.empty()) return;
  step_ = clamped;
  const lesson::Step& s = lesson_.steps[static_cast<size_t>(step_)];
  text_ = lesson::parse_markdown(s.markdown);
  quizzes_.assign(s.quizzes.size(), QuizState{});
}

Status LessonPanel::apply_setting(const std::string& key, const std::string& value) {
  if (key == "file") {
    Status opened = open(value);
    if (!opened.ok())
      return Error{format(tr("panel '%s': %s: %s"), "lesson", "file", opened.message().c_str())};
    return {};
  }
  if (key == "step") {
    int n = 0;
    if (lesson_.steps.empty()) return Error{tr("panel 'lesson': step: open a lesson first (file=PATH)")};
    if (!st::parse_int(value, n) || n < 1 || n > static_cast<int>(lesson_.steps.size()))
      return st::bad_value(key, value, format(tr("a step from 1 to %zu"), lesson_.steps.size()));
    go_to(n - 1);
    return {};
  }
  if (key == "language") {
    if (value != "en" && value != "pt-BR") return st::bad_value(key, value, tr("en or pt-BR"));
    language_ = value;
    language_chosen_ = true;
    return {};
  }
  if (key == "answer") {
    if (lesson_.steps.empty() || lesson_.steps[static_cast<size_t>(step_)].quizzes.empty())
      return Error{tr("panel 'lesson': answer: this step has no quiz")};
    pending_answer_ = value;
    return {};
  }
  return Error{format(tr("panel '%s' has no setting '%s'; valid: %s"), "lesson", key.c_str(),
                      "file, step, language, answer")};
}

bool LessonPanel::on_file_dropped(const std::string& path) {
  if (fs::path(path).extension() != ".md") return false;
  (void)open(path);
  return true;
}

bool LessonPanel::on_step(StepKey key) {
  if (lesson_.steps.empty()) return false;
  switch (key) {
    case StepKey::Next:
    case StepKey::PageNext:
    case StepKey::PlayPause:
      go_to(step_ + 1);
      return true;
    case StepKey::Previous:
    case StepKey::PagePrevious:
      go_to(step_ - 1);
      return true;
    case StepKey::First:
      go_to(0);
      return true;
    case StepKey::Last:
      go_to(static_cast<int>(lesson_.steps.size()) - 1);
      return true;
  }
  return false;
}

const lesson::Step* LessonPanel::panel_step() const {
  for (int i = step_; i >= 0; --i)
    if (!lesson_.steps[static_cast<size_t>(i)].panel.empty()) return &lesson_.steps[static_cast<size_t>(i)];
  return nullptr;
}

// ---- frame ----------------------------------------------------------------------

void LessonPanel::reload_if_changed(PanelContext& context) {
  if (path_.empty()) return;
  const double now = ImGui::GetTime();
  if (now - last_check_ < kReloadCheckSeconds) return;
  last_check_ = now;
  const ReloadResult result = reload_if_changed();
  if (!context.status) return;
  if (result == ReloadResult::Reloaded)
    context.status->info(format(tr("Reloaded %s"), fs::path(path_).filename().string().c_str()));
  if (result == ReloadResult::Broken)
    context.status->error(format(tr("%s has problems; still showing the last good version"), path_.c_str()));
}

LessonPanel::ReloadResult LessonPanel::reload_if_changed() {
  std::error_code ec;
  const auto modified = fs::last_write_time(path_, ec);
  if (path_.empty() || ec || modified == modified_) return ReloadResult::Unchanged;
  modified_ = modified;
  std::vector<lesson::Problem> problems;
  lesson::Lesson parsed = lesson::load_lesson(path_, problems);
  if (!problems.empty()) {
    // Keep showing the last good version; list what is wrong.
    problems_ = std::move(problems);
    return ReloadResult::Broken;
  }
  const int step = step_;
  lesson_ = std::move(parsed);
  problems_.clear();
  intro_ = lesson::parse_markdown(lesson_.introduction);
  text_.clear();
  go_to(step);
  applied_step_ = -1;
  return ReloadResult::Reloaded;
}

void LessonPanel::apply_step(PanelContext& context) {
  applied_step_ = step_;
  step_errors_.clear();
  const lesson::Step* source = panel_step();
  target_id_ = source ? source->panel : "";
  if (!source || !context.panel) return;
  Panel* target = context.panel(source->panel, true);
  if (!target) return;
  for (const lesson::PanelSetting& setting : source->settings) {
    Status applied = target->apply_setting(setting.key, setting.value);
    if (!applied.ok())
      step_errors_ += path_ + ":" + std::to_string(setting.line) + ": " + applied.message() + "\n";
  }
  if (!step_errors_.empty() && context.status)
    context.status->error(step_errors_.substr(0, step_errors_.find('\n')));
}

void LessonPanel::draw(PanelContext& context) {
  reload_if_changed(context);
  if (lesson_.steps.empty()) {
    draw_chooser(context);
    return;
  }
  if (applied_step_ != step_) apply_step(context);
  if (pending_answer_ && !quizzes_.empty()) {
    const lesson::Quiz& quiz = lesson_.steps[static_cast<size_t>(step_)].quizzes.front();
    quizzes_.front().typed = *pending_answer_;
    quizzes_.front().grade = lesson::grade_answer(quiz, *pending_answer_);
    pending_answer_.reset();
  }

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float font = ImGui::GetFontSize();
  Panel* target = !target_id_.empty() && context.panel ? context.panel(target_id_, false) : nullptr;
  // Presenter mode: a third of the width for the step's large text, so its
  // quiz fits without scrolling; the picture keeps over 60% of the screen.
  const float share = context.presenter ? 0.32f : 0.34f;
  const float text_w = target ? std::clamp(share * avail.x, 16.0f * font, 34.0f * font) : avail.x;
  ImGui::BeginChild("lesson text", ImVec2(text_w, 0), true);
  draw_text_column(context);
  ImGui::EndChild();
  target_busy_ = false;
  if (target) {
    ImGui::SameLine();
    ImGui::BeginChild("lesson target", ImVec2(0, 0), false, ImGuiWindowFlags_NoBackground);
    const lesson::ControlRules& rules = lesson_.steps[static_cast<size_t>(step_)].controls;
    context.controls = rules.empty() ? nullptr : &rules;
    target->draw(context);
    context.controls = nullptr;
    ImGui::EndChild();
    target_busy_ = target->busy();
  }
}

void LessonPanel::draw_text_column(PanelContext& context) {
  const lesson::Step& step = lesson_.steps[static_cast<size_t>(step_)];
  // Title and progress.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  {
    const ContentText lesson_words;  // the lesson's own title, in its author's language
    ImGui::TextWrapped("%s", lesson_.title.c_str());
  }
  ImGui::PopStyleColor();
  const int count = static_cast<int>(lesson_.steps.size());
  const std::string progress = format(tr("Step %d of %d"), step_ + 1, count);
  ImGui::ProgressBar(static_cast<float>(step_ + 1) / static_cast<float>(count), ImVec2(-FLT_MIN, 0),
                     progress.c_str());
  ImGui::PushFont(context.heading_font);
  ImGui::PushTextWrapPos(0.0f);
  {
    const ContentText lesson_words;
    ImGui::TextUnformatted(step.title.c_str());
  }
  ImGui::PopTextWrapPos();
  ImGui::PopFont();
  ImGui::Spacing();

  // Text, quizzes; the navigation stays at the bottom.
  // Presenter mode: one row of buttons; else three or four (previous / next,
  // the two copies side by side or stacked, other lessons).
  const LessonNavLayout nav =
      nav_layout(ImGui::GetContentRegionAvail().x, ImGui::GetContentRegionAvail().y, context.presenter);
  const float nav_h = ImGui::GetFrameHeightWithSpacing() * (static_cast<float>(nav.rows) + 0.2f);
  ImGui::BeginChild("step text", ImVec2(0, -nav_h), false, ImGuiWindowFlags_NoBackground);
  if (step_ == 0 && !intro_.empty()) draw_lesson_text(intro_, context);
  draw_lesson_text(text_, context);
  draw_quizzes(context);
  if (!problems_.empty()) {
    ImGui::Separator();
    ImGui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "%s", lesson::format_problems(path_, problems_).c_str());
  }
  if (!step_errors_.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.35f, 1), "%s", step_errors_.c_str());
  ImGui::EndChild();
  draw_navigation(context, nav);
}

void LessonPanel::draw_quizzes(PanelContext& context) {
  const lesson::Step& step = lesson_.steps[static_cast<size_t>(step_)];
  for (size_t i = 0; i < step.quizzes.size() && i < quizzes_.size(); ++i) {
    const lesson::Quiz& quiz = step.quizzes[i];
    QuizState& state = quizzes_[i];
    ImGui::PushID(static_cast<int>(i));
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::PushFont(context.bold_font);
    ImGui::TextWrapped(tr("Question: %s"), quiz.question.c_str());
    ImGui::PopFont();
    bool check = false;
    if (quiz.type == lesson::QuizType::Choice) {
      for (size_t c = 0; c < quiz.choices.size(); ++c) {
        const ContentText lesson_words;  // the choices are the lesson's
        if (ImGui::RadioButton(quiz.choices[c].c_str(), state.choice == static_cast<int>(c))) {
          state.choice = static_cast<int>(c);
          state.typed = quiz.choices[c];
          check = true;  // a choice is an answer
        }
      }
    } else {
      // The field takes what the button leaves, up to 10 characters' width.
      const std::string check_label = ui_label(tr("Check"), "check");
      const float button_w = ImGui::CalcTextSize(tr("Check")).x + 2.0f * ImGui::GetStyle().FramePadding.x;
      ImGui::SetNextItemWidth(
          std::min(10.0f * ImGui::GetFontSize(),
                   ImGui::GetContentRegionAvail().x - button_w - ImGui::GetStyle().ItemSpacing.x));
      const char* hint = quiz.type == lesson::QuizType::Size ? tr("e.g. 3x3") : tr("a number");
      check = ImGui::InputTextWithHint("##answer", hint, &state.typed, ImGuiInputTextFlags_EnterReturnsTrue);
      ImGui::SameLine();
      check = ImGui::Button(check_label.c_str()) || check;
    }
    if (check) state.grade = lesson::grade_answer(quiz, state.typed);
    if (state.grade) {
      const ImVec4 color = state.grade->correct ? ImVec4(0.35f, 0.85f, 0.45f, 1) : ImVec4(1, 0.55f, 0.35f, 1);
      ImGui::PushStyleColor(ImGuiCol_Text, color);
      ImGui::TextWrapped("%s", state.grade->message.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::PopID();
  }
}

void LessonPanel::draw_navigation(PanelContext& context, const LessonNavLayout& nav) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float full = ImGui::GetContentRegionAvail().x;
  const float row = nav.more_menu ? full - more_button_width() - style.ItemSpacing.x : full;
  const float w = 0.5f * (row - style.ItemSpacing.x);
  const auto tooltip = [](bool shortened, const char* whole) {
    if (shortened && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", whole);
  };
  ImGui::BeginDisabled(step_ == 0);
  if (ImGui::Button(ui_label(nav.arrows_only ? "←" : tr("← Previous"), "previous").c_str(), ImVec2(w, 0)))
    go_to(step_ - 1);
  tooltip(nav.arrows_only, tr("← Previous"));
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(step_ + 1 >= static_cast<int>(lesson_.steps.size()));
  if (ImGui::Button(ui_label(nav.arrows_only ? "→" : tr("Next →"), "next").c_str(), ImVec2(w, 0)))
    go_to(step_ + 1);
  tooltip(nav.arrows_only, tr("Next →"));
  ImGui::EndDisabled();
  if (context.presenter) return;

  // For the teacher writing the lesson: the panel as it is now, as a step.
  Panel* target = !target_id_.empty() && context.panel ? context.panel(target_id_, false) : nullptr;
  const bool can_copy_view = target != nullptr && !target->state_text().empty();
  const auto copy_view = [&] {
    // The heading goes into the lesson file: in the lesson's language.
    const char* heading = lesson_.language == "pt-BR" ? "Novo passo" : "New step";
    ImGui::SetClipboardText(
        ("## " + std::string(heading) + "\n\n" + view_block(target->id(), target->state_text())).c_str());
    if (context.status) context.status->info(tr("Copied: paste it into the lesson file."));
  };
  // For slides: a link that opens the page at this lesson's step.
  const auto copy_link = [&] {
    if (!context.copy_link) return;
    context.copy_link();
    if (context.status) context.status->info(tr("Link copied: it opens the lesson at this step."));
  };
  const auto other_lessons = [&] {
    lesson_ = lesson::Lesson{};
    path_.clear();
  };

  if (nav.more_menu) {
    ImGui::SameLine();
    if (ImGui::Button("\xe2\x80\xa6##more", ImVec2(more_button_width(), 0))) ImGui::OpenPopup("lesson more");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("More: copy this view or a link, other lessons"));
    if (ImGui::BeginPopup("lesson more")) {
      if (ImGui::MenuItem(tr("Copy this view as a step"), nullptr, false, can_copy_view)) copy_view();
      if (ImGui::MenuItem(tr("Copy a link to this step"))) copy_link();
      ImGui::Separator();
      if (ImGui::MenuItem(tr("Other lessons"))) other_lessons();
      ImGui::EndPopup();
    }
    return;
  }

  const float copy_w = nav.stacked_copy ? full : w;
  ImGui::BeginDisabled(!can_copy_view);
  const char* view_label = nav.short_copy ? tr("Copy view") : tr("Copy this view as a step");
  if (ImGui::Button(ui_label(view_label, "copy view").c_str(), ImVec2(copy_w, 0))) copy_view();
  tooltip(nav.short_copy, tr("Copy this view as a step"));
  ImGui::EndDisabled();
  if (!nav.stacked_copy) ImGui::SameLine();
  const char* link_label = nav.short_copy ? tr("Copy link") : tr("Copy a link to this step");
  if (ImGui::Button(ui_label(link_label, "copy link").c_str(), ImVec2(copy_w, 0))) copy_link();
  tooltip(nav.short_copy, tr("Copy a link to this step"));
  if (ImGui::Button(ui_label(tr("Other lessons"), "other lessons").c_str(),
                    ImVec2(fits(tr("Other lessons"), w) ? w : full, 0)))
    other_lessons();
}

void LessonPanel::draw_chooser(PanelContext& context) {
  section(context, tr("Lessons"));
  // Until someone picks a list, the lessons in the UI's language.
  if (!language_chosen_) language_ = i18n::language_tag() == "pt-BR" ? "pt-BR" : "en";
  // Each language by its own name.
  for (const char* tag : {"en", "pt-BR"}) {
    if (tag[0] == 'p') ImGui::SameLine();
    const ContentText language_name;  // each language by its own name
    if (ImGui::RadioButton(tag[0] == 'e' ? "English" : "Português (Brasil)", language_ == tag)) {
      language_ = tag;
      language_chosen_ = true;
    }
  }
  auto folder = lessons_folder();
  if (!folder) {
    ImGui::TextWrapped(
        "%s",
        tr("No lessons folder found (lessons/ next to assets/). Open a lesson file by its path below."));
  } else {
    for (const lesson::LessonInfo& info : lesson::list_lessons(*folder, language_)) {
      const ContentText lesson_words;  // lesson titles are the lessons' own
      const std::string label = std::to_string(info.order) + ".  " + info.title + "##" + info.path;
      if (ImGui::Selectable(label.c_str())) {
        Status opened = open(info.path);
        if (!opened.ok() && context.status) context.status->error(opened.message());
      }
    }
  }
  ImGui::Spacing();
  ImGui::TextWrapped("%s", tr("A lesson file:"));
  const float field_w = std::min(30.0f * ImGui::GetFontSize(), ImGui::GetContentRegionAvail().x);
  ImGui::SetNextItemWidth(field_w);
  // The hint only where it fits whole.
  const char* hint = tr("path/to/lesson.md, then Enter");
  if (ImGui::CalcTextSize(hint).x + 2.0f * ImGui::GetStyle().FramePadding.x > field_w) hint = "";
  if (ImGui::InputTextWithHint("##lesson path", hint, &path_box_, ImGuiInputTextFlags_EnterReturnsTrue)) {
    Status opened = open(path_box_);
    if (!opened.ok() && context.status) context.status->error(opened.message());
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr("Writing lessons: lessons/README.md. Drop a .md file here to open it."));
  ImGui::PopStyleColor();
}

}  // namespace convlab::app
