#include "app/link_state.h"

#include <filesystem>

#include "app/language.h"
#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"

namespace convlab::app {

namespace {

namespace fs = std::filesystem;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// Letters, digits and the few marks a fragment holds as they are; everything
// else (spaces, '&', '=', '#', '%', non-ASCII) as %XX.
std::string percent_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~' || c == ',' || c == '/' || c == ':';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool parse_flag(const std::string& key, const std::string& value, bool& flag,
                std::vector<std::string>& problems) {
  if (value == "1" || value == "true" || value.empty()) {
    flag = true;
  } else if (value == "0" || value == "false") {
    flag = false;
  } else {
    problems.push_back(
        format(tr("%s: '%s' is not valid; use 1 (on) or 0 (off)"), key.c_str(), value.c_str()));
    return false;
  }
  return true;
}

}  // namespace

LinkState parse_link(const std::string& fragment) {
  LinkState link;
  std::string step_text;
  bool has_step = false;
  std::string text = fragment;
  if (!text.empty() && text[0] == '#') text.erase(0, 1);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    const size_t equals = item.find('=');
    const std::string key = percent_decode(item.substr(0, equals));
    const std::string value =
        equals == std::string::npos ? std::string() : percent_decode(item.substr(equals + 1));
    if (key == "panel") {
      link.panel = value;
    } else if (key == "lesson") {
      link.lesson = value;
    } else if (key == "step") {
      step_text = value;
      has_step = true;
    } else if (key == "presenter") {
      parse_flag(key, value, link.presenter, link.problems);
    } else if (key == "log") {
      parse_flag(key, value, link.log, link.problems);
    } else if (key == "play") {
      parse_flag(key, value, link.play, link.problems);
    } else if (key == "lang") {
      auto language = parse_language_tag(value, "lang: ");
      if (language.ok())
        link.language = language.value();
      else
        link.problems.push_back(language.message());
    } else {
      link.settings.push_back({key, value});
    }
  }
  // "step" is the lesson's step in a lesson link, else the panel's own
  // setting (the convolution's step), applied after the others it depends on.
  if (has_step && link.lesson.empty()) {
    link.settings.push_back({"step", step_text});
  } else if (has_step) {
    int step = 0;
    if (explore::setting_text::parse_int(step_text, step) && step >= 1)
      link.step = step;
    else
      link.problems.push_back(
          format(tr("step: '%s' is not valid; use a step number from 1"), step_text.c_str()));
  }
  return link;
}

std::string make_link(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string link = "#";
  for (const auto& [key, value] : pairs) {
    if (link.size() > 1) link += '&';
    link += percent_encode(key) + "=" + percent_encode(value);
  }
  return link;
}

std::vector<std::pair<std::string, std::string>> state_pairs(const std::string& state_text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t start = 0;
  while (start < state_text.size()) {
    size_t end = state_text.find('\n', start);
    if (end == std::string::npos) end = state_text.size();
    const std::string line = state_text.substr(start, end - start);
    start = end + 1;
    const size_t equals = line.find('=');
    if (line.empty() || equals == std::string::npos) continue;
    pairs.emplace_back(line.substr(0, equals), line.substr(equals + 1));
  }
  return pairs;
}

std::string resolve_lesson(const std::string& name, const std::string& lessons_folder) {
  std::error_code ec;
  if (fs::is_regular_file(name, ec)) return name;
  fs::path candidate = fs::path(lessons_folder) / name;
  if (candidate.extension() != ".md") candidate += ".md";
  return candidate.lexically_normal().string();
}

std::string lesson_link_name(const std::string& path, const std::string& lessons_folder) {
  if (lessons_folder.empty()) return path;
  const fs::path relative =
      fs::path(path).lexically_normal().lexically_relative(fs::path(lessons_folder).lexically_normal());
  if (relative.empty() || *relative.begin() == "..") return path;
  fs::path name = relative;
  if (name.extension() == ".md") name.replace_extension();
  return name.generic_string();
}

}  // namespace convlab::app
