// The browser: the page's animation frames drive the loop; WebGL2 has no
// compute shaders and the page has no worker threads (a static site cannot
// send the headers SharedArrayBuffer needs), so the colorizer runs on the
// CPU in slices; files go out as downloads; the settings file lives in the
// browser's local storage; the state comes from the URL fragment.
#include "platform/platform.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/base/i18n.h"
#include "core/base/mo_catalog.h"

namespace convlab::platform {

std::function<void(const std::string&)>& file_opener() {
  static std::function<void(const std::string&)> open;
  return open;
}

std::function<void(const std::string&)>& link_opener() {
  static std::function<void(const std::string&)> open;
  return open;
}

namespace {

struct Loop {
  std::function<bool()> frame;
  std::function<void()> done;
};

void loop_frame(void* arg) {
  auto* loop = static_cast<Loop*>(arg);
  // For the page's benchmark: when the first frame began, after navigation start.
  // clang-format off
  EM_ASM({ if (!window.convlabFirstFrame) window.convlabFirstFrame = performance.now(); });
  const double start = emscripten_get_now();
  const bool more = loop->frame();
  // The page's tests read the last frames' work: [when it ended (Date.now), milliseconds].
  EM_ASM({
    const frames = window.convlabFrameWork || (window.convlabFrameWork = []);
    frames.push([Date.now(), $0]);
    if (frames.length > 2000) frames.shift();
  }, emscripten_get_now() - start);
  // clang-format on
  if (more) return;
  emscripten_cancel_main_loop();
  loop->done();
}

// Returns a malloc'ed UTF-8 copy of a JavaScript string (freed by the caller).
// clang-format off
EM_JS(char*, js_location_hash, (), {
  const text = window.location.hash || "";
  const size = lengthBytesUTF8(text) + 1;
  const out = _malloc(size);
  stringToUTF8(text, out, size);
  return out;
});
// clang-format on

// clang-format off
EM_JS(char*, js_page_address, (), {
  const text = window.location.href.split("#")[0];
  const size = lengthBytesUTF8(text) + 1;
  const out = _malloc(size);
  stringToUTF8(text, out, size);
  return out;
});
// clang-format on

// clang-format off
EM_JS(char*, js_language, (), {
  const text = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  const size = lengthBytesUTF8(text) + 1;
  const out = _malloc(size);
  stringToUTF8(text, out, size);
  return out;
});
// clang-format on

// clang-format off
EM_JS(void, js_copy_text, (const char* text), {
  const value = UTF8ToString(text);
  if (navigator.clipboard && navigator.clipboard.writeText)
    navigator.clipboard.writeText(value).catch(function(){});
});
// clang-format on

// Offers the bytes of a file in the in-memory file system as a download.
// clang-format off
EM_JS(void, js_download, (const char* path, const char* name), {
  const bytes = FS.readFile(UTF8ToString(path));
  const blob = new Blob([bytes], {
    type:
      "application/octet-stream"
  });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = UTF8ToString(name);
  document.body.appendChild(link);
  link.click();
  setTimeout(
      function() {
        URL.revokeObjectURL(link.href);
        link.remove();
      },
      1000);
});
// clang-format on

// clang-format off
EM_JS(void, js_watch_hash, (), {
  window.addEventListener("hashchange", function() {
    const text = window.location.hash || "";
    const size = lengthBytesUTF8(text) + 1;
    const out = _malloc(size);
    stringToUTF8(text, out, size);
    Module._convlab_link_changed(out);
    _free(out);
  });
});
// clang-format on

// Within a click's user activation (the menu item was clicked a frame ago).
// clang-format off
EM_JS(void, js_pick_file, (), {
  const picker = document.getElementById("picker");
  if (picker) picker.click();
});
// clang-format on

// clang-format off
EM_JS(char*, js_storage_get, (const char* key), {
  let text = null;
  try {
    text = window.localStorage.getItem("convlab:" + UTF8ToString(key));
  } catch (e) {
  }
  if (text == null) return 0;
  const size = lengthBytesUTF8(text) + 1;
  const out = _malloc(size);
  stringToUTF8(text, out, size);
  return out;
});
// clang-format on

// clang-format off
EM_JS(void, js_storage_set, (const char* key, const char* value), {
  try {
    window.localStorage.setItem("convlab:" + UTF8ToString(key), UTF8ToString(value));
  } catch (e) {
  }
});
// clang-format on

std::string take(char* text) {
  if (text == nullptr) return {};
  std::string copy(text);
  std::free(text);
  return copy;
}

}  // namespace

const char* name() { return "browser"; }

void run_main_loop(std::function<bool()> frame, std::function<void()> done) {
  // Lives as long as the page: the loop never hands control back.
  auto* loop = new Loop{std::move(frame), std::move(done)};
  emscripten_set_main_loop_arg(loop_frame, loop, 0, true);
}

const char* glsl_version() { return "#version 300 es"; }

bool has_worker_threads() { return false; }

Result<std::unique_ptr<session::Accelerator>> make_accelerator(std::shared_ptr<const Model>) {
  return Error{
      tr("the browser's WebGL2 has no compute shaders, so the colorizer runs on the CPU here "
         "(the desktop app runs it on the GPU)")};
}

std::string deliver_file(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  js_download(path.c_str(), name.c_str());
  return format(tr("Downloaded %s"), name.c_str());
}

void on_file_offered(std::function<void(const std::string&)> open) { file_opener() = std::move(open); }

bool has_file_chooser() { return true; }
void pick_file() { js_pick_file(); }

void copy_text(const std::string& text) { js_copy_text(text.c_str()); }

void restore_file(const std::string& path) {
  const std::string text = take(js_storage_get(path.c_str()));
  if (text.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream(path, std::ios::binary) << text;
}

void keep_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::ostringstream text;
  text << in.rdbuf();
  js_storage_set(path.c_str(), text.str().c_str());
}

std::string opened_link() { return take(js_location_hash()); }

void on_link_changed(std::function<void(const std::string&)> open) {
  const bool first = !link_opener();
  link_opener() = std::move(open);
  if (first) js_watch_hash();
}
std::string page_address() { return take(js_page_address()); }
std::string preferred_language() { return take(js_language()); }

namespace {

// The browser's C library has no working gettext, so the same .mo files
// are read by MoCatalog. Kept for the program's life: tr()'s answers point
// into it.
std::unique_ptr<MoCatalog>& web_catalog() {
  static std::unique_ptr<MoCatalog> catalog;
  return catalog;
}
std::unique_ptr<MoCatalog>& retired_catalog() {
  static std::unique_ptr<MoCatalog> catalog;
  return catalog;
}

const char* web_lookup(const char* key) { return web_catalog()->find(key); }

}  // namespace

Status use_language(const std::string& tag, const std::string& locale_folder) {
  if (tag == "en") {
    i18n::set_lookup(nullptr);
    i18n::set_language_tag(tag);
    return {};
  }
  std::string folder = tag;
  for (char& c : folder)
    if (c == '-') c = '_';
  auto catalog = MoCatalog::load(locale_folder + "/" + folder + "/LC_MESSAGES/convlab.mo");
  if (!catalog) return Error{format(tr("language '%s': %s"), tag.c_str(), catalog.message().c_str())};
  i18n::set_lookup(nullptr);
  // Strings handed out this frame may still be drawn: the previous catalog
  // lives on until the next change.
  retired_catalog() = std::move(web_catalog());
  web_catalog() = std::make_unique<MoCatalog>(std::move(*catalog));
  i18n::set_lookup(web_lookup);
  i18n::set_language_tag(tag);
  return {};
}

void console_line(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

}  // namespace convlab::platform

// Called by the page when its URL fragment changes.
extern "C" EMSCRIPTEN_KEEPALIVE void convlab_link_changed(const char* fragment) {
  auto& open = convlab::platform::link_opener();
  if (open && fragment != nullptr) open(fragment);
}

// Called by the page (index.html) once a picked file is in the in-memory file system.
extern "C" EMSCRIPTEN_KEEPALIVE void convlab_open_file(const char* path) {
  auto& open = convlab::platform::file_opener();
  if (open && path != nullptr) open(path);
}
