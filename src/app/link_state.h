// A view as a link: the URL fragment a teacher puts in a slide
// ("#panel=conv&input=9x9&stride=2&step=5", "#lesson=pt-BR/04-dilation&step=3&presenter=1").
// The keys are the command line's: panel, lesson, step (a lesson's step;
// without a lesson, the panel's own `step` setting), presenter, log, play, lang;
// every other key is a `--set` setting of the panel. The browser reads
// the page's fragment; the desktop takes the same text with --link. Plain
// text in, plain text out: no window needed, so it is unit-tested.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/app_options.h"
#include "core/base/result.h"

namespace convlab::app {

struct LinkState {
  std::string panel;                   // "conv"; empty: the default panel
  std::string lesson;                  // "pt-BR/04-dilation" or a path
  int step = 0;                        // the lesson's step, 1-based; 0: none given
  bool presenter = false;              // presenter=1
  bool log = false;                    // log=1: the console contract
  bool play = false;                   // play=1: play every lesson step, then report
  std::string language;                // lang=pt-BR: the UI's language ("" : not given)
  std::vector<PanelSetting> settings;  // the panel's own keys, in order
  // Values that could not be read (the rest still opens): "step: 'x' is not ...".
  std::vector<std::string> problems;
};

// "#a=1&b=2" or "a=1&b=2"; values are percent-decoded ('+' stays '+').
LinkState parse_link(const std::string& fragment);

// key=value pairs to "#k=v&k2=v2", percent-encoding what a URL cannot hold.
std::string make_link(const std::vector<std::pair<std::string, std::string>>& pairs);

// A panel's state_text ("key=value" lines) as pairs, blank lines skipped.
std::vector<std::pair<std::string, std::string>> state_pairs(const std::string& state_text);

// A lesson named in a link: "pt-BR/04-dilation" is lessons/pt-BR/04-dilation.md
// in `lessons_folder`; a path to an existing file is itself.
std::string resolve_lesson(const std::string& name, const std::string& lessons_folder);
// The reverse, for links: a file inside lessons_folder as "pt-BR/04-dilation".
std::string lesson_link_name(const std::string& path, const std::string& lessons_folder);

}  // namespace convlab::app
