#pragma once
// How every command reports a failure a user can act on: one line on stderr, exit status 1.

#include <iostream>
#include <string>

namespace delineo::app {

inline int failWith(const std::string& message) {
  std::cerr << "delineo: error: " << message << "\n";
  return 1;
}

}  // namespace delineo::app
