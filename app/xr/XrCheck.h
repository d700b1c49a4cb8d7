#pragma once
// Checks for OpenXR calls, as hello_xr's: XR_TRY returns a core::Error naming the call, the
// result's name and file:line from the enclosing function (calls that can fail at run time:
// no runtime, no headset, a lost session); XR_CHECK aborts with the same details (calls that
// must succeed). XrHandle owns one OpenXR handle and destroys it with its xrDestroy* function.

#include <string>
#include <utility>

#include <openxr/openxr.h>

#include "core/Result.h"

namespace delineo::app::xr {

// "XR_ERROR_RUNTIME_UNAVAILABLE" for XR_ERROR_RUNTIME_UNAVAILABLE.
const char* xrResultName(XrResult result);
std::string xrCallError(const char* call, XrResult result, const char* file, int line);
[[noreturn]] void xrCheckFailed(const char* call, XrResult result, const char* file, int line);

template <typename T, XrResult (*Destroy)(T)>
class XrHandle {
 public:
  XrHandle() = default;
  explicit XrHandle(T handle) : mHandle(handle) {}
  XrHandle(const XrHandle&) = delete;
  XrHandle& operator=(const XrHandle&) = delete;
  XrHandle(XrHandle&& o) noexcept : mHandle(std::exchange(o.mHandle, XR_NULL_HANDLE)) {}
  XrHandle& operator=(XrHandle&& o) noexcept {
    if (this != &o) {
      reset();
      mHandle = std::exchange(o.mHandle, XR_NULL_HANDLE);
    }
    return *this;
  }
  ~XrHandle() { reset(); }
  T get() const { return mHandle; }
  explicit operator bool() const { return mHandle != XR_NULL_HANDLE; }
  void reset() {
    if (mHandle != XR_NULL_HANDLE) Destroy(mHandle);
    mHandle = XR_NULL_HANDLE;
  }

 private:
  T mHandle = XR_NULL_HANDLE;
};

using UniqueXrInstance = XrHandle<XrInstance, &xrDestroyInstance>;
using UniqueXrSession = XrHandle<XrSession, &xrDestroySession>;
using UniqueXrSpace = XrHandle<XrSpace, &xrDestroySpace>;
using UniqueXrSwapchain = XrHandle<XrSwapchain, &xrDestroySwapchain>;
using UniqueXrActionSet = XrHandle<XrActionSet, &xrDestroyActionSet>;
using UniqueXrAction = XrHandle<XrAction, &xrDestroyAction>;

}  // namespace delineo::app::xr

#define XR_TRY(call)                                                                     \
  do {                                                                                   \
    XrResult xrTryResult_ = (call);                                                      \
    if (XR_FAILED(xrTryResult_))                                                         \
      return ::delineo::core::makeError(                                                 \
          ::delineo::app::xr::xrCallError(#call, xrTryResult_, __FILE__, __LINE__));     \
  } while (0)

#define XR_CHECK(call)                                                                   \
  do {                                                                                   \
    XrResult xrCheckResult_ = (call);                                                    \
    if (XR_FAILED(xrCheckResult_))                                                       \
      ::delineo::app::xr::xrCheckFailed(#call, xrCheckResult_, __FILE__, __LINE__);      \
  } while (0)
