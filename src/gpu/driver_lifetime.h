// Keeps the OpenGL driver (Mesa's DRI driver, e.g. swrast_dri.so) loaded
// until the process ends, in AddressSanitizer builds only.
//
// Why: LeakSanitizer looks for leaks after the exit handlers ran, when EGL or
// GLX has already unloaded the driver. Memory that only the driver's own
// globals pointed to then looks leaked, allocated from a module LSan can no
// longer name, so it could neither be told apart nor suppressed. With the
// driver kept (RTLD_NODELETE), LSan sees those pointers and reports nothing
// from the driver, while every other leak is still reported.
#pragma once

namespace convlab::gpu {

// Call once a context exists (the driver is loaded then). Release builds: nothing.
void keep_gl_driver_loaded();

}  // namespace convlab::gpu
