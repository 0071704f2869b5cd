// Debian's libimgui.a is built against the system stb_truetype and
// stb_rect_pack and leaves their functions to be linked in. They are compiled
// here, once, rather than linking libstb (which also holds stb_image, already
// compiled in src/core/io/stb_impl.cpp). Third-party C: its warnings are
// silenced here only.
#include "core/base/third_party_warnings_off.h"

#define STB_RECT_PACK_IMPLEMENTATION
#include <stb_rect_pack.h>

#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>

#pragma GCC diagnostic pop
