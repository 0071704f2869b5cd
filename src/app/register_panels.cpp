#include "app/register_panels.h"

#include <cstdio>

#include "app/about_panel.h"
#include "app/bn_panel.h"
#include "app/conv_panel.h"
#include "app/network_panel.h"
#include "app/tconv_panel.h"

namespace convlab::app {

namespace {

template <typename P>
void add(PanelRegistry& registry) {
  Status added = registry.add(std::make_unique<P>());
  // Only a programming error (a repeated id) can fail here; say so loudly
  // in a debug run rather than crash a class.
  if (!added.ok()) std::fprintf(stderr, "convlab: %s\n", added.message().c_str());
}

}  // namespace

PanelRegistry make_panels() {
  PanelRegistry registry;
  // Tab order = number keys. The learning panels (conv, tconv, bn, network,
  // lesson) go first as they arrive; About stays last.
  add<ConvPanel>(registry);
  add<TconvPanel>(registry);
  add<BnPanel>(registry);
  add<NetworkPanel>(registry);
  add<AboutPanel>(registry);
  return registry;
}

}  // namespace convlab::app
