// The stepping both explorers share: clamped to the steps there are now,
// playing at a speed with fractions carried between frames, stopping on the
// last step, and refusing speeds out of range.
#include <doctest/doctest.h>

#include "core/explore/stepper.h"

using convlab::explore::Stepper;

TEST_CASE("a stepper keeps its index inside the steps there are, and plays to the last one") {
  Stepper stepper;
  CHECK(stepper.index(0) == 0);
  stepper.set(7, 5);
  CHECK(stepper.index(5) == 4);
  CHECK(stepper.index(3) == 2);  // fewer steps after a change of settings: clamped on read
  stepper.set(-3, 5);
  CHECK(stepper.index(5) == 0);

  REQUIRE(stepper.set_steps_per_second(4.0).ok());
  stepper.play(5);
  CHECK(stepper.playing());
  CHECK(stepper.advance(0.1, 5) == 0);   // 0.4 of a step, carried
  CHECK(stepper.advance(0.15, 5) == 1);  // 0.4 + 0.6 = one step
  CHECK(stepper.index(5) == 1);
  CHECK(stepper.advance(10.0, 5) == 3);  // stops on the last step
  CHECK(stepper.index(5) == 4);
  CHECK_FALSE(stepper.playing());
  stepper.play(5);  // at the end: starts again from the first step
  CHECK(stepper.index(5) == 0);
  stepper.pause();
  CHECK(stepper.advance(1.0, 5) == 0);

  stepper.play(0);  // nothing to play
  CHECK_FALSE(stepper.playing());
  stepper.set(3, 5);
  stepper.reset();
  CHECK(stepper.index(5) == 0);
}

TEST_CASE("a stepper's speed must be above 0 and at most 1000 steps per second") {
  Stepper stepper;
  CHECK_FALSE(stepper.set_steps_per_second(0.0).ok());
  CHECK_FALSE(stepper.set_steps_per_second(1001.0).ok());
  CHECK(stepper.set_steps_per_second(1000.0).ok());
  CHECK(stepper.steps_per_second() == 1000.0);
  const auto refused = stepper.set_steps_per_second(-1.0);
  CHECK(refused.message().find("at most 1000") != std::string::npos);
  CHECK(stepper.steps_per_second() == 1000.0);
}
