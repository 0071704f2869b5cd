// The one translation unit that compiles stb_image, stb_image_write and
// stb_image_resize. Debian's libstb.a is deliberately not linked (see
// CMakeLists.txt), so these are the only copies of the stb functions.
// stb is third-party C written for C compilers: its own warnings are not ours
// to fix, so they are silenced here and only here.
#include "core/base/third_party_warnings_off.h"

#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>

#pragma GCC diagnostic pop
