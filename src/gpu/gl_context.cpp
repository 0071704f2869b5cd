#include "gpu/gl_context.h"

#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include <string_view>
#include <vector>

#include "gpu/driver_lifetime.h"

namespace convlab::gpu {
namespace {

bool has_extension(const char* list, std::string_view name) {
  if (!list) return false;
  std::string_view all(list);
  size_t pos = 0;
  while ((pos = all.find(name, pos)) != std::string_view::npos) {
    const size_t end = pos + name.size();
    if ((pos == 0 || all[pos - 1] == ' ') && (end == all.size() || all[end] == ' ')) return true;
    pos = end;
  }
  return false;
}

// Real GPUs through EGL_EXT_platform_device (NVIDIA's headless path).
EGLDisplay device_display() {
  const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  if (!has_extension(client, "EGL_EXT_platform_device") ||
      !has_extension(client, "EGL_EXT_device_enumeration"))
    return EGL_NO_DISPLAY;
  EGLDeviceEXT devices[16];
  EGLint count = 0;
  if (!eglQueryDevicesEXT(16, devices, &count)) return EGL_NO_DISPLAY;
  for (EGLint i = 0; i < count; ++i) {
    // Skip Mesa's software device here; the surfaceless path below covers it.
    const char* exts = eglQueryDeviceStringEXT(devices[i], EGL_EXTENSIONS);
    if (has_extension(exts, "EGL_MESA_device_software")) continue;
    EGLDisplay display = eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, devices[i], nullptr);
    if (display != EGL_NO_DISPLAY) {
      EGLint major = 0, minor = 0;
      if (eglInitialize(display, &major, &minor)) return display;
    }
  }
  return EGL_NO_DISPLAY;
}

EGLDisplay surfaceless_display() {
  const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  if (!has_extension(client, "EGL_MESA_platform_surfaceless")) return EGL_NO_DISPLAY;
  EGLDisplay display = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) return EGL_NO_DISPLAY;
  EGLint major = 0, minor = 0;
  if (!eglInitialize(display, &major, &minor)) return EGL_NO_DISPLAY;
  return display;
}

EGLContext create_core_context(EGLDisplay display) {
  if (!eglBindAPI(EGL_OPENGL_API)) return EGL_NO_CONTEXT;
  // Newest first: 4.6 down to 4.3, the first version with compute shaders.
  for (int minor = 6; minor >= 3; --minor) {
    const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                                 4,
                                 EGL_CONTEXT_MINOR_VERSION,
                                 minor,
                                 EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                 EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                 EGL_NONE};
    EGLContext context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
    if (context != EGL_NO_CONTEXT) return context;
  }
  return EGL_NO_CONTEXT;
}

}  // namespace

Result<std::unique_ptr<GlContext>> GlContext::create_headless() {
  EGLDisplay display = device_display();
  if (display == EGL_NO_DISPLAY) display = surfaceless_display();
  if (display == EGL_NO_DISPLAY)
    return make_error(
        "no headless OpenGL display: EGL offers neither a GPU device (EGL_EXT_platform_device) nor Mesa's "
        "surfaceless platform (EGL_MESA_platform_surfaceless); install Mesa (libegl-mesa0, libgl1-mesa-dri) "
        "or a "
        "GPU driver with EGL");
  const char* display_exts = eglQueryString(display, EGL_EXTENSIONS);
  if (!has_extension(display_exts, "EGL_KHR_no_config_context") &&
      !has_extension(display_exts, "EGL_MESA_configless_context")) {
    eglTerminate(display);
    return make_error("the EGL display cannot create a context without a config (EGL_KHR_no_config_context)");
  }
  keep_gl_driver_loaded();  // loaded by eglInitialize; eglTerminate would unload it
  EGLContext context = create_core_context(display);
  if (context == EGL_NO_CONTEXT) {
    eglTerminate(display);
    return make_error("the EGL display cannot create an OpenGL 4.3 core context (compute shaders need 4.3): ",
                      "EGL error 0x", std::hex, eglGetError());
  }
  if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
    eglDestroyContext(display, context);
    eglTerminate(display);
    return make_error(
        "could not make the headless OpenGL context current (EGL_KHR_surfaceless_context missing?)");
  }
  std::unique_ptr<GlContext> gl(new GlContext());
  gl->display_ = display;
  gl->context_ = context;
  CONVLAB_TRY(gl->describe_and_check());
  return gl;
}

Result<std::unique_ptr<GlContext>> GlContext::adopt_current() {
  std::unique_ptr<GlContext> gl(new GlContext());
  CONVLAB_TRY(gl->describe_and_check());
  return gl;
}

Status GlContext::describe_and_check() {
  const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  const auto* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
  renderer_ = renderer ? renderer : "unknown";
  version_ = version ? version : "unknown";
  const int gl_version = epoxy_gl_version();
  if (gl_version < 43)
    return make_error("OpenGL ", gl_version / 10, ".", gl_version % 10, " (", renderer_,
                      ") has no compute shaders: ConvLab's GPU backend needs OpenGL 4.3 or newer");
  timer_queries_ = gl_version >= 33 || epoxy_has_gl_extension("GL_ARB_timer_query");
  return {};
}

void GlContext::make_current() {
  if (display_) eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_);
}

GlContext::~GlContext() {
  if (display_) {
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_) eglDestroyContext(display_, context_);
    eglTerminate(display_);
  }
}

}  // namespace convlab::gpu
