#pragma once
// Checks for Vulkan calls. VK_CHECK is for calls that must succeed (a failure is a driver or
// programmer error: it reports the call, the result's name and file:line, then aborts).
// VK_TRY is for calls that can fail at run time (out of memory, missing feature): it returns
// a core::Error with the same details from the enclosing function.

#include <string>

#include <vulkan/vulkan.h>

#include "core/Result.h"

namespace delineo::renderer {

// "VK_ERROR_OUT_OF_DEVICE_MEMORY" for VK_ERROR_OUT_OF_DEVICE_MEMORY.
const char* vkResultName(VkResult result);
// A sentence naming the call, its result and where it was made, with a hint for the user
// when the result has an obvious remedy (out of memory, no driver).
std::string vkCallError(const char* call, VkResult result, const char* file, int line);
[[noreturn]] void vkCheckFailed(const char* call, VkResult result, const char* file, int line);

}  // namespace delineo::renderer

#define VK_CHECK(call)                                                                   \
  do {                                                                                   \
    VkResult vkCheckResult_ = (call);                                                    \
    if (vkCheckResult_ != VK_SUCCESS)                                                    \
      ::delineo::renderer::vkCheckFailed(#call, vkCheckResult_, __FILE__, __LINE__);     \
  } while (0)

#define VK_TRY(call)                                                                     \
  do {                                                                                   \
    VkResult vkTryResult_ = (call);                                                      \
    if (vkTryResult_ != VK_SUCCESS)                                                      \
      return ::delineo::core::makeError(                                                 \
          ::delineo::renderer::vkCallError(#call, vkTryResult_, __FILE__, __LINE__));    \
  } while (0)
