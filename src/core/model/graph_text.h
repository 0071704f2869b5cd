// The built-in models' descriptions in the UI language. The descriptions
// are data (assets/models/*.json, in English); their translations live in
// the catalogs like every other string, listed in graph_text.cpp so that
// xgettext finds them. A description no catalog knows (a model loaded from
// a file) is shown as written.
#pragma once

#include <string>
#include <vector>

namespace convlab {

// `text` (a graph's or a node's description) in the UI language.
const char* graph_text(const std::string& text);
// Every description of the built-in models, in English (the tests check that
// none is missing, so a changed JSON cannot silently lose its translation).
const std::vector<const char*>& builtin_graph_texts();
// True when `text` is one of those: false for a description read from a
// model file (the file's own words, shown as written).
bool is_builtin_graph_text(const std::string& text);

}  // namespace convlab
