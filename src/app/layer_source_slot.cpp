#include "app/layer_source_slot.h"

#include "app/status_bar.h"
#include "core/base/i18n.h"

namespace convlab::app {

Status LayerSourceSlot::apply(const std::string& key, const std::string& value) {
  Status applied = source_.apply(key, value);
  if (!applied.ok()) return Error{format(tr("panel '%s': %s"), panel_, applied.message().c_str())};
  return reload();
}

Status LayerSourceSlot::reload() {
  if (!source_.active()) {
    slice_.reset();
    return {};
  }
  auto slice = source_.slice();
  if (!slice.ok()) return Error{format(tr("panel '%s': %s"), panel_, slice.message().c_str())};
  CONVLAB_TRY(load_(slice.value()));
  slice_ = std::move(slice).value();
  return {};
}

void LayerSourceSlot::draw(PanelContext& context, const LayerCellView& cell, const FullOutput& full_output) {
  if (!slice_) return;
  const Size2d full{static_cast<int>(slice_->full_input[2]), static_cast<int>(slice_->full_input[3])};
  const int real_h = static_cast<int>(slice_->full_output[2]),
            real_w = static_cast<int>(slice_->full_output[3]);
  const Result<Size2d> full_out = full_output(full);
  const std::string what_if =
      full_out.ok()
          ? format(tr("With these settings the whole %d×%d input gives %d×%d (the layer's: %d×%d)."), full.h,
                   full.w, full_out->h, full_out->w, real_h, real_w)
          : format(tr("With these settings the whole input gives no output (the layer's: %d×%d)."), real_h,
                   real_w);
  if (auto changed = draw_layer_source_section(context, source_, *slice_, cell, what_if)) {
    Status done = changed->ok() ? reload() : *changed;
    if (!done.ok() && context.status != nullptr) context.status->error(done.message());
  }
}

}  // namespace convlab::app
