// The desktop: GLFW's own loop, OpenGL 4.3 compute for the colorizer,
// worker threads, files on disk, the X11/Wayland clipboard through GLFW.
#include "platform/platform.h"

#include <epoxy/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <libintl.h>
#include <locale.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/base/i18n.h"
#include "gpu/gpu_accelerator.h"

namespace convlab::platform {

const char* name() { return "desktop"; }

void run_main_loop(std::function<bool()> frame, std::function<void()> done) {
  while (frame()) {
  }
  done();
}

// The window's context: 4.3 where the driver has it, else 3.3 (window.cpp).
const char* glsl_version() { return epoxy_gl_version() >= 43 ? "#version 430 core" : "#version 330 core"; }

bool has_worker_threads() { return true; }

Result<std::unique_ptr<session::Accelerator>> make_accelerator(std::shared_ptr<const Model> model) {
  auto accelerator = gpu::make_gpu_accelerator(std::move(model));
  if (!accelerator)
    return Error{format(tr("the GPU cannot run the colorizer: %s"), accelerator.message().c_str())};
  return accelerator;
}

std::string deliver_file(const std::string& path) { return format(tr("Saved %s"), path.c_str()); }

void on_file_offered(std::function<void(const std::string&)>) {}

bool has_file_chooser() { return false; }
void pick_file() {}

void copy_text(const std::string& text) {
  if (GLFWwindow* window = glfwGetCurrentContext()) glfwSetClipboardString(window, text.c_str());
}

void restore_file(const std::string&) {}
void keep_file(const std::string&) {}

std::string opened_link() { return {}; }
void on_link_changed(std::function<void(const std::string&)>) {}
std::string page_address() { return {}; }

std::string preferred_language() {
  // POSIX order: LC_ALL, then LC_MESSAGES, then LANG ("pt_BR.UTF-8" -> "pt-BR").
  for (const char* variable : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(variable);
    if (value == nullptr || *value == '\0') continue;
    std::string tag(value);
    tag = tag.substr(0, tag.find_first_of(".@"));
    if (tag == "C" || tag == "POSIX") return "en";
    for (char& c : tag)
      if (c == '_') c = '-';
    return tag;
  }
  return "en";
}

namespace {

// gettext's name for a language's folder: "pt-BR" -> "pt_BR".
std::string catalog_folder_name(const std::string& tag) {
  std::string name = tag;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

const char* glibc_lookup(const char* key) { return dgettext("convlab", key); }

}  // namespace

// glibc picks the catalog from LANGUAGE, which it honours in any locale but
// plain "C"; C.UTF-8 is built into glibc, so no language pack is needed.
// Only LC_MESSAGES is set: numbers and files stay in the "C" locale.
// _nl_msg_cat_cntr is gettext's documented way to drop its cached answers
// when the language changes while the program runs.
extern "C" int _nl_msg_cat_cntr;

Status use_language(const std::string& tag, const std::string& locale_folder) {
  if (tag == "en") {
    i18n::set_lookup(nullptr);
    i18n::set_language_tag(tag);
    return {};
  }
  const std::string folder = catalog_folder_name(tag);
  const std::filesystem::path catalog =
      std::filesystem::path(locale_folder) / folder / "LC_MESSAGES" / "convlab.mo";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(catalog, ec))
    return Error{format(tr("language '%s': its catalog %s is missing; valid: en, pt-BR (build the project to "
                           "compile po/*.po)"),
                        tag.c_str(), catalog.string().c_str())};
  if (setlocale(LC_MESSAGES, "C.UTF-8") == nullptr)
    return Error{
        format(tr("language '%s': the C library has no C.UTF-8 locale to read catalogs in"), tag.c_str())};
  setenv("LANGUAGE", folder.c_str(), 1);
  bindtextdomain("convlab", locale_folder.c_str());
  bind_textdomain_codeset("convlab", "UTF-8");
  ++_nl_msg_cat_cntr;
  i18n::set_lookup(glibc_lookup);
  i18n::set_language_tag(tag);
  return {};
}

void console_line(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace convlab::platform
