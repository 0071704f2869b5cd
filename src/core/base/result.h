// Errors as values: every fallible core function returns Result<T> (or
// Status), carrying a message a person can act on: what was wrong, where,
// and what would be valid. Nothing in core aborts on bad input.
#pragma once

#include <sstream>
#include <string>
#include <utility>
#include <variant>

namespace convlab {

struct Error {
  std::string message;
};

// Builds an Error from streamable parts: make_error("stride ", s, " must be >= 1").
template <class... Parts>
Error make_error(Parts&&... parts) {
  std::ostringstream out;
  (out << ... << std::forward<Parts>(parts));
  return Error{out.str()};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<Error>(state_); }
  const std::string& message() const { return error().message; }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }
  const std::string& message() const { return error_.message; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

// Prefixes an error with context ("weights.safetensors: ") on the way up.
inline Error with_context(const std::string& context, const Error& error) {
  return Error{context + error.message};
}

}  // namespace convlab

// Early return of a failed Result/Status from the enclosing function.
#define CONVLAB_TRY(expr)                                              \
  do {                                                                 \
    auto convlab_try_result_ = (expr);                                 \
    if (!convlab_try_result_.ok()) return convlab_try_result_.error(); \
  } while (0)
