// Stepping through an operation one step at a time, by hand or playing at a
// speed: the one mechanism the convolution and transposed-convolution
// explorers share. It holds no steps itself; each call is told how many
// there are now (a change of settings can change the count), and the index
// is kept inside [0, count - 1].
#pragma once

#include "core/base/result.h"

namespace convlab::explore {

inline constexpr double kMaxStepsPerSecond = 1000.0;

class Stepper {
 public:
  int index(int count) const;      // 0 when there are no steps
  void set(int index, int count);  // clamped; drops a partly played step
  void reset();                    // back to the first step, paused

  bool playing() const { return playing_; }
  void play(int count);  // restarts from the beginning when at the end; nothing without steps
  void pause() { playing_ = false; }
  double steps_per_second() const { return steps_per_second_; }
  Status set_steps_per_second(double rate);  // (0, kMaxStepsPerSecond]

  // Moves floor(accumulated seconds * rate) steps while playing; stops on
  // the last step rather than wrapping (a lesson ends there). Returns how
  // many steps it moved.
  int advance(double seconds, int count);

 private:
  int step_ = 0;
  bool playing_ = false;
  double steps_per_second_ = 2.0;
  double pending_steps_ = 0.0;  // fraction of a step carried between advance() calls
};

}  // namespace convlab::explore
