#include "renderer/VkCheck.h"

#include <cstdio>
#include <cstdlib>

namespace delineo::renderer {

const char* vkResultName(VkResult result) {
  switch (result) {
#define DELINEO_RESULT_NAME(r) \
  case r: return #r;
    DELINEO_RESULT_NAME(VK_SUCCESS)
    DELINEO_RESULT_NAME(VK_NOT_READY)
    DELINEO_RESULT_NAME(VK_TIMEOUT)
    DELINEO_RESULT_NAME(VK_EVENT_SET)
    DELINEO_RESULT_NAME(VK_EVENT_RESET)
    DELINEO_RESULT_NAME(VK_INCOMPLETE)
    DELINEO_RESULT_NAME(VK_ERROR_OUT_OF_HOST_MEMORY)
    DELINEO_RESULT_NAME(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    DELINEO_RESULT_NAME(VK_ERROR_INITIALIZATION_FAILED)
    DELINEO_RESULT_NAME(VK_ERROR_DEVICE_LOST)
    DELINEO_RESULT_NAME(VK_ERROR_MEMORY_MAP_FAILED)
    DELINEO_RESULT_NAME(VK_ERROR_LAYER_NOT_PRESENT)
    DELINEO_RESULT_NAME(VK_ERROR_EXTENSION_NOT_PRESENT)
    DELINEO_RESULT_NAME(VK_ERROR_FEATURE_NOT_PRESENT)
    DELINEO_RESULT_NAME(VK_ERROR_INCOMPATIBLE_DRIVER)
    DELINEO_RESULT_NAME(VK_ERROR_TOO_MANY_OBJECTS)
    DELINEO_RESULT_NAME(VK_ERROR_FORMAT_NOT_SUPPORTED)
    DELINEO_RESULT_NAME(VK_ERROR_FRAGMENTED_POOL)
    DELINEO_RESULT_NAME(VK_ERROR_UNKNOWN)
    DELINEO_RESULT_NAME(VK_ERROR_OUT_OF_POOL_MEMORY)
    DELINEO_RESULT_NAME(VK_ERROR_INVALID_EXTERNAL_HANDLE)
    DELINEO_RESULT_NAME(VK_ERROR_FRAGMENTATION)
    DELINEO_RESULT_NAME(VK_ERROR_SURFACE_LOST_KHR)
    DELINEO_RESULT_NAME(VK_SUBOPTIMAL_KHR)
    DELINEO_RESULT_NAME(VK_ERROR_OUT_OF_DATE_KHR)
#undef DELINEO_RESULT_NAME
    default: return "VkResult(unknown)";
  }
}

std::string vkCallError(const char* call, VkResult result, const char* file, int line) {
  std::string message = std::string(call) + " failed with " + vkResultName(result) + " at " +
                        file + ":" + std::to_string(line);
  switch (result) {
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    case VK_ERROR_OUT_OF_HOST_MEMORY:
      message += " (out of GPU or host memory: close other GPU programs, render a smaller "
                 "image, or open a smaller or downsampled volume)";
      break;
    case VK_ERROR_INCOMPATIBLE_DRIVER:
    case VK_ERROR_INITIALIZATION_FAILED:
      message += " (no usable Vulkan 1.3 driver: install mesa-vulkan-drivers for the CPU "
                 "driver lavapipe, or your GPU vendor's driver)";
      break;
    case VK_ERROR_LAYER_NOT_PRESENT:
      message += " (the validation layer is missing: install vulkan-validationlayers)";
      break;
    case VK_ERROR_DEVICE_LOST:
      message += " (the GPU stopped responding: a driver crash or a too long dispatch)";
      break;
    default: break;
  }
  return message;
}

void vkCheckFailed(const char* call, VkResult result, const char* file, int line) {
  std::fprintf(stderr, "delineo: fatal Vulkan error: %s\n",
               vkCallError(call, result, file, line).c_str());
  std::abort();
}

}  // namespace delineo::renderer
