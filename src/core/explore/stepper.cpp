#include "core/explore/stepper.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/base/i18n.h"

namespace convlab::explore {

namespace {

// A number in a message: as a stream writes it (%g), with the UI language's
// decimal mark.
std::string number(double value) {
  std::ostringstream out;
  out << value;
  return i18n::display_text(out.str());
}

}  // namespace

int Stepper::index(int count) const { return std::clamp(step_, 0, std::max(count - 1, 0)); }

void Stepper::set(int index, int count) {
  step_ = std::clamp(index, 0, std::max(count - 1, 0));
  pending_steps_ = 0.0;
}

void Stepper::reset() {
  step_ = 0;
  playing_ = false;
  pending_steps_ = 0.0;
}

void Stepper::play(int count) {
  if (count == 0) return;
  if (index(count) == count - 1) set(0, count);
  playing_ = true;
  pending_steps_ = 0.0;
}

Status Stepper::set_steps_per_second(double rate) {
  if (!(rate > 0.0 && rate <= kMaxStepsPerSecond))
    return Error{format(tr("speed is %s steps per second but must be above 0 and at most %s"),
                        number(rate).c_str(), number(kMaxStepsPerSecond).c_str())};
  steps_per_second_ = rate;
  return {};
}

int Stepper::advance(double seconds, int count) {
  if (!playing_ || !(seconds > 0.0)) return 0;
  if (count == 0) {
    playing_ = false;
    return 0;
  }
  pending_steps_ += seconds * steps_per_second_;
  const double whole = std::floor(pending_steps_);
  pending_steps_ -= whole;
  const int before = index(count);
  const int last = count - 1;
  const int target = static_cast<int>(std::min<double>(before + whole, last));
  step_ = target;
  if (target == last) playing_ = false;
  return target - before;
}

}  // namespace convlab::explore
