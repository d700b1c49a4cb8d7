#pragma once
// Result<T>: a value or an Error a user can act on. Expected failures (a bad file, a missing
// runtime) travel as Results; programmer errors assert. No exceptions cross our API boundaries.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace delineo::core {

struct Error {
  std::string message;  // complete sentence naming the file/object and the problem
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : mState(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : mState(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return mState.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(mState); }
  const T& value() const& { assert(ok()); return std::get<0>(mState); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(mState)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(mState); }
  const std::string& message() const { return error().message; }

 private:
  std::variant<T, Error> mState;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : mError(std::move(error)), mOk(false) {}

  bool ok() const { return mOk; }
  explicit operator bool() const { return mOk; }
  const Error& error() const { assert(!mOk); return mError; }
  const std::string& message() const { return error().message; }

 private:
  Error mError;
  bool mOk = true;
};

inline Error makeError(std::string message) { return Error{std::move(message)}; }

}  // namespace delineo::core
