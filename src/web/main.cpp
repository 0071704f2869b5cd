// The web page's entry point: the app with the state of the page's link
// (platform::opened_link reads the URL fragment). The desktop's command
// line (src/cli/main.cpp) has the same options; here the link is the
// command line.
#include "app/app.h"
#include "core/base/allocator.h"

int main() {
  convlab::keep_freed_memory_for_reuse();
  convlab::app::AppOptions options;
  return convlab::app::run_app(options);
}
