#include "app/xr/XrCheck.h"

#include <cstdio>
#include <cstdlib>

#include <openxr/openxr_reflection.h>

namespace delineo::app::xr {

const char* xrResultName(XrResult result) {
  switch (result) {
#define DELINEO_XR_RESULT_CASE(name, value) \
  case name: return #name;
    XR_LIST_ENUM_XrResult(DELINEO_XR_RESULT_CASE)
#undef DELINEO_XR_RESULT_CASE
    default: return "XR_UNKNOWN_RESULT";
  }
}

std::string xrCallError(const char* call, XrResult result, const char* file, int line) {
  const char* base = file;
  for (const char* p = file; *p; ++p)
    if (*p == '/') base = p + 1;
  return std::string(call) + " failed with " + xrResultName(result) + " (" + base + ":" + std::to_string(line) + ")";
}

void xrCheckFailed(const char* call, XrResult result, const char* file, int line) {
  std::fprintf(stderr, "delineo: fatal: %s\n", xrCallError(call, result, file, line).c_str());
  std::abort();
}

}  // namespace delineo::app::xr
