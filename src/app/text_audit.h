// What the text audit needs from the app. `convlab --tour DIR` walks every
// screen (each panel's default and a few states, every lesson step) and
// marks the last frame of each; a test build of the app
// (tests/text_audit) wraps ImGui's text drawing and, in that frame, reports
// text that is cut off by its window or that skipped tr() (seen in the
// pseudo language, where every translation is wrapped in ⟦ ⟧).
// In the app itself this is two integers and a string: nothing is checked.
#pragma once

#include <string>

namespace convlab::app {

struct AuditedFrame {
  bool active = false;    // this frame is a screen's last, the one saved
  std::string screen;     // "conv-default", "lesson-en-04-dilation-step-3"
  int content_depth = 0;  // > 0: drawing content (lesson text, a file name), not UI words
};
AuditedFrame& audited_frame();

// Marks what is drawn inside it as content: a lesson's own words, a file
// name, a photo's caption. Its language is the author's, not the UI's, so the
// audit does not ask for it to be translated (it still must not be cut off).
class ContentText {
 public:
  ContentText() { ++audited_frame().content_depth; }
  ~ContentText() { --audited_frame().content_depth; }
  ContentText(const ContentText&) = delete;
  ContentText& operator=(const ContentText&) = delete;
};

}  // namespace convlab::app
