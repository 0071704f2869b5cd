// The OpenGL API the app draws with: OpenGL 4.3 core through libepoxy on the
// desktop, WebGL2 (OpenGL ES 3.0) in the browser. Panels draw only with the
// common subset (textures, framebuffer reads); compute lives in src/gpu,
// which the browser build leaves out.
#pragma once

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#include <epoxy/gl.h>
#endif
