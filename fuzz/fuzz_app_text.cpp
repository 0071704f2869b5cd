// The app's small text formats: the settings file, link fragments, view
// files, category names and categories.csv rows. Each either reads or says what is wrong; a
// settings file that reads writes back to one that reads the same.
#include "app/link_state.h"
#include "app/settings.h"
#include "app/view_file.h"
#include "core/model/colorize.h"
#include "core/model/dataset.h"
#include "fuzz_target.h"

using namespace convlab::app;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string text = fuzz_text(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto settings = parse_settings(text, "settings.ini");
      if (settings.ok()) {
        auto again = parse_settings(format_settings(*settings), "settings.ini");
        FUZZ_REQUIRE(again.ok());
        FUZZ_REQUIRE(format_settings(*again) == format_settings(*settings));
      }
      break;
    }
    case 1: {
      const LinkState link = parse_link(text);
      for (const std::string& problem : link.problems) FUZZ_REQUIRE(!problem.empty());
      std::vector<std::pair<std::string, std::string>> pairs;
      for (const PanelSetting& s : link.settings) pairs.emplace_back(s.key, s.value);
      const LinkState again = parse_link(make_link(pairs));
      FUZZ_REQUIRE(again.settings.size() == link.settings.size());
      break;
    }
    case 2:
      (void)parse_view(text, "fuzz.view");
      break;
    case 3:
      (void)convlab::parse_category(text);
      break;
    default: {
      const convlab::CategoryRows rows = convlab::parse_category_rows(text, "categories.csv");
      for (const auto& [name, category] : rows.labels)
        FUZZ_REQUIRE(!name.empty() && category >= 0 && category <= 7);
      for (const std::string& problem : rows.skipped) FUZZ_REQUIRE(problem.rfind("categories.csv:", 0) == 0);
      break;
    }
  }
  return 0;
}
