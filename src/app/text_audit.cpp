#include "app/text_audit.h"

namespace convlab::app {

AuditedFrame& audited_frame() {
  static AuditedFrame frame;
  return frame;
}

}  // namespace convlab::app
