#include "app/status_bar.h"

#include <imgui.h>

#include "core/base/i18n.h"

namespace convlab::app {

namespace {
constexpr double kInfoSeconds = 8.0;  // errors stay until replaced
}

void StatusBar::info(std::string message) {
  message_ = std::move(message);
  is_error_ = false;
  shown_at_ = -1.0;
}

void StatusBar::error(std::string message) {
  if (on_error && !message.empty()) on_error(message);
  message_ = std::move(message);
  is_error_ = true;
  shown_at_ = -1.0;
}

float StatusBar::height() { return ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y; }

void StatusBar::draw(Theme theme, const std::string& right_text, double now) {
  if (shown_at_ < 0.0) shown_at_ = now;
  if (!is_error_ && !message_.empty() && now - shown_at_ > kInfoSeconds) message_.clear();
  const ThemeColors colors = theme_colors(theme);
  ImGui::Separator();
  const char* shown = message_.empty() && !is_error_ ? tr("Ready.") : message_.c_str();
  const float message_end =
      ImGui::GetCursorPosX() + ImGui::CalcTextSize(shown).x + ImGui::GetStyle().ItemSpacing.x;
  if (is_error_) {
    const float* e = colors.error;
    ImGui::TextColored(ImVec4(e[0], e[1], e[2], e[3]), "%s", shown);
  } else {
    ImGui::TextUnformatted(shown);
  }
  const float width = ImGui::CalcTextSize(right_text.c_str()).x;
  const float right_x = ImGui::GetWindowContentRegionMax().x - width;
  if (message_end > right_x) return;  // a long message (an error, often) keeps the line to itself
  ImGui::SameLine(right_x);
  const float* m = colors.muted;
  ImGui::TextColored(ImVec4(m[0], m[1], m[2], m[3]), "%s", right_text.c_str());
}

void PendingStatus::set(const Status& status, std::string success) {
  is_error_ = !status.ok();
  message_ = is_error_ ? status.message() : std::move(success);
}

void PendingStatus::show(StatusBar* bar) {
  if (message_.empty() || bar == nullptr) return;
  if (is_error_)
    bar->error(message_);
  else
    bar->info(message_);
  message_.clear();
}

}  // namespace convlab::app
