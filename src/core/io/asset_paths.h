// Where the bundled assets (models, sample photos) are found, shared by the
// CLI and the app so both look in the same places in the same order.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace convlab {

// The asset folders to search, most specific first: $CONVLAB_ASSETS alone
// when it is set (an explicit choice: a stale copy elsewhere cannot win);
// otherwise next to the executable (installed: <exe>/../share/convlab/assets;
// build tree: <exe>/../../assets), then the source tree's assets folder.
std::vector<std::string> asset_roots();

// The first existing regular file `relative` (e.g. "models/ecnn_advanced.
// safetensors") under asset_roots(). `searched` receives the candidate paths.
std::optional<std::string> find_asset(const std::string& relative, std::string* searched = nullptr);

// The bundled sample photos (assets/samples/*.jpg|png), sorted by file name,
// from the first root that has a samples folder. Empty when none is found.
std::vector<std::string> bundled_sample_photos();

// The shipped lessons folder (lessons/, next to the assets: <root>/../lessons),
// or nullopt when none is found.
std::optional<std::string> lessons_folder();

// The compiled translation catalogs (<folder>/pt_BR/LC_MESSAGES/convlab.mo):
// $CONVLAB_LOCALE when set; installed, <exe>/../share/locale; otherwise the
// build tree's locale folder, where msgfmt writes them from po/*.po.
std::string locale_folder();

}  // namespace convlab
