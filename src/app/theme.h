// Light and dark themes tuned for a projector: strong contrast, generous
// padding, thick enough borders to survive a washed-out beam.
#pragma once

#include "app/settings.h"

namespace convlab::app {

// Resets ImGui's style to the theme, then scales every size by `scale`.
void apply_theme(Theme theme, float scale);

// Status-bar text colors that read well on the theme's background.
struct ThemeColors {
  float error[4];
  float muted[4];
};
ThemeColors theme_colors(Theme theme);

}  // namespace convlab::app
