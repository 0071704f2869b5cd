// The explorers' state text (--set, links, views, lesson steps) for the
// convolution, transposed convolution and batch norm: any text applies or
// names its key; whatever state results is written by describe_*() in a
// form that reopens as exactly the same state.
#include "core/explore/bn_settings_text.h"
#include "core/explore/settings_text.h"
#include "core/explore/tconv_settings_text.h"
#include "fuzz_target.h"

using namespace convlab::explore;

namespace {

// Applies the text to a fresh explorer, then checks that the state it ends
// in reopens from its own description exactly.
template <class Explorer, class Apply, class Describe>
void check_round_trip(const std::string& text, Apply apply, Describe describe) {
  Explorer explorer;
  (void)apply(explorer, text);
  const std::string state = describe(explorer);
  Explorer again;
  FUZZ_REQUIRE(apply(again, state).ok());
  FUZZ_REQUIRE(describe(again) == state);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text = fuzz_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      check_round_trip<ConvExplorer>(
          text, [](ConvExplorer& e, const std::string& t) { return apply_settings_text(e, t); },
          [](const ConvExplorer& e) { return describe_state(e); });
      break;
    case 1:
      check_round_trip<TconvExplorer>(
          text, [](TconvExplorer& e, const std::string& t) { return apply_tconv_settings_text(e, t); },
          [](const TconvExplorer& e) { return describe_tconv_state(e); });
      break;
    default:
      check_round_trip<BnExplorer>(
          text, [](BnExplorer& e, const std::string& t) { return apply_bn_settings_text(e, t); },
          [](const BnExplorer& e) { return describe_bn_state(e); });
      break;
  }
  return 0;
}
