/* scripts/bench-gpu's preflight: can this machine give ConvLab a headless
 * OpenGL 4.3 context with compute shaders, and on which renderer? Built in a
 * second from one file against the same libepoxy as ConvLab, before the
 * minutes-long ConvLab build, so a missing EGL vendor or a software renderer
 * shows up first. It opens the display the way src/gpu/gl_context.cpp does (a
 * GPU through EGL_EXT_platform_device, else Mesa's surfaceless platform), runs
 * one compute dispatch and checks its result. Prints key=value lines:
 *   platform=device renderer=... version=... compute=ok library=/path...
 * Exit 0 when compute works, 1 (with the reason on stderr) when not. */
#include <epoxy/egl.h>
#include <epoxy/gl.h>
#include <stdio.h>
#include <string.h>

static int has_word(const char* list, const char* word) {
  size_t n = strlen(word);
  for (const char* p = list; p && (p = strstr(p, word)) != NULL; p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
  return 0;
}

static EGLDisplay open_display(const char** platform) {
  const char* client = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  EGLint major, minor;
  if (has_word(client, "EGL_EXT_platform_device") && has_word(client, "EGL_EXT_device_enumeration")) {
    EGLDeviceEXT devices[16];
    EGLint count = 0;
    eglQueryDevicesEXT(16, devices, &count);
    for (EGLint i = 0; i < count; ++i) {
      if (has_word(eglQueryDeviceStringEXT(devices[i], EGL_EXTENSIONS), "EGL_MESA_device_software")) continue;
      EGLDisplay d = eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, devices[i], NULL);
      if (d != EGL_NO_DISPLAY && eglInitialize(d, &major, &minor)) {
        *platform = "device";
        return d;
      }
    }
  }
  if (has_word(client, "EGL_MESA_platform_surfaceless")) {
    EGLDisplay d = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    if (d != EGL_NO_DISPLAY && eglInitialize(d, &major, &minor)) {
      *platform = "surfaceless";
      return d;
    }
  }
  fprintf(stderr, "egl_probe: no headless EGL display (client extensions: %s)\n", client ? client : "none");
  return EGL_NO_DISPLAY;
}

/* Each invocation writes twice its index; 64 of them are read back. */
static int compute_works(void) {
  static const char* source =
      "#version 430\nlayout(local_size_x = 64) in;\n"
      "layout(std430, binding = 0) buffer Out { uint v[]; };\n"
      "void main() { v[gl_GlobalInvocationID.x] = 2u * gl_GlobalInvocationID.x; }\n";
  GLuint shader = glCreateShader(GL_COMPUTE_SHADER), program = glCreateProgram(), buffer;
  GLint ok = 0;
  glShaderSource(shader, 1, &source, NULL);
  glCompileShader(shader);
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) return fprintf(stderr, "egl_probe: a compute shader does not compile\n"), 0;
  glAttachShader(program, shader);
  glLinkProgram(program);
  glGenBuffers(1, &buffer);
  glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 0, buffer);
  glBufferData(GL_SHADER_STORAGE_BUFFER, 64 * sizeof(GLuint), NULL, GL_DYNAMIC_READ);
  glUseProgram(program);
  glDispatchCompute(1, 1, 1);
  glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
  GLuint values[64] = {0};
  glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, 0, sizeof values, values);
  for (GLuint i = 0; i < 64; ++i)
    if (values[i] != 2 * i) return fprintf(stderr, "egl_probe: a compute dispatch gave wrong values\n"), 0;
  return 1;
}

/* The GL libraries this process loaded: which libEGL, which vendor driver. */
static void print_libraries(void) {
  FILE* maps = fopen("/proc/self/maps", "r");
  char line[1024], last[1024] = "";
  static const char* names[] = {"libepoxy", "libEGL",  "libOpenGL", "libGLdispatch",
                                "nvidia",   "_dri.so", "libgallium"};
  while (maps && fgets(line, sizeof line, maps)) {
    const char* path = strchr(line, '/');
    if (!path || strcmp(path, last) == 0) continue;
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i)
      if (strstr(path, names[i])) {
        printf("library=%s", path); /* path keeps its newline */
        snprintf(last, sizeof last, "%s", path);
        break;
      }
  }
  if (maps) fclose(maps);
}

int main(void) {
  const char* platform = "";
  EGLDisplay display = open_display(&platform);
  if (display == EGL_NO_DISPLAY) return 1;
  eglBindAPI(EGL_OPENGL_API);
  const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION,
                               4,
                               EGL_CONTEXT_MINOR_VERSION,
                               3,
                               EGL_CONTEXT_OPENGL_PROFILE_MASK,
                               EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                               EGL_NONE};
  EGLContext context = eglCreateContext(display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
  if (context == EGL_NO_CONTEXT || !eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
    fprintf(stderr, "egl_probe: no OpenGL 4.3 core context without a surface (EGL error 0x%x)\n",
            eglGetError());
    return 1;
  }
  printf("platform=%s\nvendor=%s\nrenderer=%s\nversion=%s\n", platform, (const char*)glGetString(GL_VENDOR),
         (const char*)glGetString(GL_RENDERER), (const char*)glGetString(GL_VERSION));
  print_libraries();
  if (epoxy_gl_version() < 43 || !compute_works()) {
    fprintf(stderr, "egl_probe: OpenGL %d.%d has no working compute shaders (ConvLab needs 4.3)\n",
            epoxy_gl_version() / 10, epoxy_gl_version() % 10);
    return 1;
  }
  printf("compute=ok\n");
  eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  eglDestroyContext(display, context);
  return 0;
}
