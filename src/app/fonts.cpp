#include "app/fonts.h"

#include <imgui.h>

#include <filesystem>

#include "core/base/i18n.h"

namespace convlab::app {

namespace {

const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

// Basic Latin + Latin-1 Supplement (Portuguese: ã ç é õ ...), general
// punctuation (– — “ ” …), arrows and a few math symbols used in the lessons
// (← → ×, ≤ ≥ ⌊ ⌋). Zero-terminated pairs, as ImGui wants them.
const ImWchar kGlyphRanges[] = {
    0x0020, 0x00FF,  // Basic Latin, Latin-1 Supplement
    0x0370, 0x03FF,  // Greek: γ, β, ε, μ, σ of the formulas
    0x1D62, 0x1D62,  // subscript i
    0x2010, 0x2027,  // dashes, quotes, bullet, ellipsis
    0x2070, 0x209C,  // superscripts and subscripts of the lessons' math (x², nₕ)
    0x2190, 0x2193,  // arrows
    0x2211, 0x221E,  // sum, minus, square root, infinity (a max pool's padding)
    0x2248, 0x2248,  // approximately
    0x2260, 0x2260,  // not equal
    0x2264, 0x2265,  // less/greater or equal
    0x2308, 0x230B,  // ceiling, floor
    0,
};

ImFont* add_font(const std::string& file, float pixels) {
  ImFontConfig config;
  config.OversampleH = 2;  // sharper horizontal positioning at small sizes
  config.OversampleV = 1;
  return ImGui::GetIO().Fonts->AddFontFromFileTTF(file.c_str(), pixels, &config, kGlyphRanges);
}

}  // namespace

Result<Fonts> build_fonts(float scale) {
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  atlas.Clear();
  const std::string sans = std::string(kFontDir) + "DejaVuSans.ttf";
  const std::string sans_bold = std::string(kFontDir) + "DejaVuSans-Bold.ttf";
  const std::string mono = std::string(kFontDir) + "DejaVuSansMono.ttf";
  std::error_code ec;
  for (const std::string& path : {sans, mono}) {
    if (!std::filesystem::exists(path, ec)) {
      atlas.AddFontDefault();
      return Error{
          format(tr("%s: font not found; install the Debian package fonts-dejavu-core"), path.c_str())};
    }
  }
  const float pixels = kBaseFontPixels * scale;
  Fonts fonts;
  fonts.ui = add_font(sans, pixels);  // first font added is ImGui's default
  fonts.heading = add_font(std::filesystem::exists(sans_bold, ec) ? sans_bold : sans, pixels * 1.45f);
  fonts.mono = add_font(mono, pixels);
  fonts.mono_large = add_font(mono, pixels * 1.3f);
  const std::string italic = std::string(kFontDir) + "DejaVuSans-Oblique.ttf";
  fonts.bold = add_font(std::filesystem::exists(sans_bold, ec) ? sans_bold : sans, pixels);
  fonts.italic = add_font(std::filesystem::exists(italic, ec) ? italic : sans, pixels);
  if (fonts.ui == nullptr || fonts.heading == nullptr || fonts.mono == nullptr ||
      fonts.mono_large == nullptr) {
    atlas.Clear();
    atlas.AddFontDefault();
    return Error{format(tr("cannot load the DejaVu fonts from %s"), kFontDir)};
  }
  return fonts;
}

}  // namespace convlab::app
