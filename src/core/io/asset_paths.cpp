#include "core/io/asset_paths.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace convlab {

namespace fs = std::filesystem;

namespace {

std::string executable_folder() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

}  // namespace

std::vector<std::string> asset_roots() {
  if (const char* env = std::getenv("CONVLAB_ASSETS"); env != nullptr && *env != '\0') return {env};
  std::vector<std::string> roots;
  const std::string exe = executable_folder();
  if (!exe.empty()) {
    roots.push_back((fs::path(exe) / ".." / "share" / "convlab" / "assets").lexically_normal().string());
    roots.push_back((fs::path(exe) / ".." / ".." / "assets").lexically_normal().string());
  }
  roots.emplace_back(CONVLAB_SOURCE_ASSETS);
  return roots;
}

std::optional<std::string> find_asset(const std::string& relative, std::string* searched) {
  std::string places;
  for (const std::string& root : asset_roots()) {
    const fs::path candidate = (fs::path(root) / relative).lexically_normal();
    places += (places.empty() ? "" : ", ") + candidate.string();
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  if (searched != nullptr) *searched = places;
  return std::nullopt;
}

std::vector<std::string> bundled_sample_photos() {
  for (const std::string& root : asset_roots()) {
    const fs::path folder = fs::path(root) / "samples";
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    std::vector<std::string> photos;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      std::string ext = entry.path().extension().string();
      std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
      if (entry.is_regular_file(ec) && (ext == ".jpg" || ext == ".jpeg" || ext == ".png"))
        photos.push_back(entry.path().lexically_normal().string());
    }
    std::sort(photos.begin(), photos.end());
    if (!photos.empty()) return photos;
  }
  return {};
}

std::optional<std::string> lessons_folder() {
  for (const std::string& root : asset_roots()) {
    const fs::path folder = (fs::path(root) / ".." / "lessons").lexically_normal();
    std::error_code ec;
    if (fs::is_directory(folder, ec)) return folder.string();
  }
  return std::nullopt;
}

std::string locale_folder() {
  if (const char* env = std::getenv("CONVLAB_LOCALE"); env != nullptr && *env != '\0') return env;
  const std::string exe = executable_folder();
  if (!exe.empty()) {
    const fs::path installed =
        (fs::path(exe) / ".." / "share" / "locale" / "pt_BR" / "LC_MESSAGES" / "convlab.mo");
    std::error_code ec;
    if (fs::is_regular_file(installed, ec))
      return (fs::path(exe) / ".." / "share" / "locale").lexically_normal().string();
  }
  return CONVLAB_BUILD_LOCALE;
}

}  // namespace convlab
