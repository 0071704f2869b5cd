// The explorers' state text (--set, links, views, lesson steps) for the
// convolution, transposed convolution and batch norm: any text applies or
// names its key; whatever state results is written by describe_*() in a
// form that reopens as exactly the same state.
#include "core/explore/bn_settings_text.h"
#include "core/explore/settings_text.h"
#include "core/explore/tconv_settings_text.h"
#include "fuzz_target.h"

using namespace convlab::explore;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text = fuzz_text(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      ConvExplorer e;
      (void)apply_settings_text(e, text);
      const std::string state = describe_state(e);
      ConvExplorer again;
      FUZZ_REQUIRE(apply_settings_text(again, state).ok());
      FUZZ_REQUIRE(describe_state(again) == state);
      break;
    }
    case 1: {
      TconvExplorer e;
      (void)apply_tconv_settings_text(e, text);
      const std::string state = describe_tconv_state(e);
      TconvExplorer again;
      FUZZ_REQUIRE(apply_tconv_settings_text(again, state).ok());
      FUZZ_REQUIRE(describe_tconv_state(again) == state);
      break;
    }
    default: {
      BnExplorer e;
      (void)apply_bn_settings_text(e, text);
      const std::string state = describe_bn_state(e);
      BnExplorer again;
      FUZZ_REQUIRE(apply_bn_settings_text(again, state).ok());
      FUZZ_REQUIRE(describe_bn_state(again) == state);
      break;
    }
  }
  return 0;
}
