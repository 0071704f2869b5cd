// Everything that differs between the desktop app and the web page, behind
// one seam: the main loop, the GPU for the colorizer, worker threads, files
// going out, the clipboard, what is remembered between runs, the link the
// page was opened with, the user's language, and the console. Panels and
// core never ask which platform they are on; src/platform/desktop and
// src/platform/web each implement this header, and CMake picks one.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/base/result.h"
#include "core/model/model.h"
#include "session/accelerator.h"

namespace convlab::platform {

// "desktop" or "browser".
const char* name();

// Calls frame() until it returns false, then done(). The desktop returns
// after done(); the browser returns at once and calls frame() once per
// animation frame (so everything both use must live on the heap).
void run_main_loop(std::function<bool()> frame, std::function<void()> done);

// The GLSL version line for the UI's shaders ("#version 430 core", "#version 300 es").
const char* glsl_version();

// Whether work may run on worker threads (the browser build has none).
bool has_worker_threads();

// The GPU that runs the colorizer, bound to `model`; needs the window's GL
// context current. The error says why there is none (a driver below
// OpenGL 4.3, or WebGL2, which has no compute shaders).
Result<std::unique_ptr<session::Accelerator>> make_accelerator(std::shared_ptr<const Model> model);

// A file the app just wrote for the user (an export, a saved view): the
// desktop leaves it where it is; the browser offers it as a download.
// Returns what to tell the user ("Saved out/conv.png", "Downloaded conv.png").
std::string deliver_file(const std::string& path);

// Files the user hands the page outside the window (the page's "Open a
// file" button): `open` is called with each one's path. Drops on the window
// come through GLFW on both platforms; the desktop has no such button.
void on_file_offered(std::function<void(const std::string& path)> open);

// Whether the platform has a file chooser of its own (the browser's), and
// opening it; the chosen file arrives through on_file_offered. The desktop
// opens files by dropping them on the window or typing a path.
bool has_file_chooser();
void pick_file();

// Puts text on the system clipboard (the browser's, where allowed).
void copy_text(const std::string& text);

// Files that must outlive the run (the settings file): before reading one,
// restore_file brings back its last saved copy; after writing one,
// keep_file saves it. The desktop's files persist by themselves; the
// browser keeps them in its local storage.
void restore_file(const std::string& path);
void keep_file(const std::string& path);

// The state the app was opened with as a link fragment ("#panel=conv&..."):
// the page's URL fragment in the browser, empty on the desktop (--link).
std::string opened_link();
// Calls `open` with the new fragment each time it changes while the app
// runs (the browser: an edited address bar, a link within the page). The
// desktop has no address to change.
void on_link_changed(std::function<void(const std::string& fragment)> open);
// The page's address without the fragment, for "Copy link" (empty on the desktop).
std::string page_address();

// The user's language tag ("pt-BR", "en"): LANG, or the browser's language.
std::string preferred_language();

// Makes tr() (core/base/i18n.h) answer in `tag`'s language ("en", "pt-BR",
// "qps") from the catalogs compiled under `locale_folder`
// (<folder>/pt_BR/LC_MESSAGES/convlab.mo): glibc's gettext on the desktop,
// MoCatalog in the browser. "en" needs no catalog. An error names the
// missing or bad catalog; the language is then left as it was.
Status use_language(const std::string& tag, const std::string& locale_folder);

// One line for people and tests: standard output on the desktop, the
// browser's console (console.log) in the page. Flushed at once.
void console_line(const std::string& line);

}  // namespace convlab::platform
