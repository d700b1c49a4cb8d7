#include "renderer/Instance.h"

#include <cstdio>
#include <cstring>

#include "renderer/VkCheck.h"

namespace delineo::renderer {

namespace {
const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool hasLayer(const char* name) {
  uint32_t count = 0;
  vkEnumerateInstanceLayerProperties(&count, nullptr);
  std::vector<VkLayerProperties> layers(count);
  vkEnumerateInstanceLayerProperties(&count, layers.data());
  for (const auto& l : layers)
    if (std::strcmp(l.layerName, name) == 0) return true;
  return false;
}
}  // namespace

core::Result<std::unique_ptr<Instance>> Instance::create(const InstanceOptions& options) {
  uint32_t version = 0;
  if (vkEnumerateInstanceVersion(&version) != VK_SUCCESS || version < VK_API_VERSION_1_3)
    return core::makeError(
        "the Vulkan loader does not offer Vulkan 1.3: install libvulkan1 (1.3 or newer) and a "
        "Vulkan driver (mesa-vulkan-drivers provides the CPU driver lavapipe)");
  if (options.validation && !hasLayer(kValidationLayer))
    return core::makeError(std::string(kValidationLayer) +
                           " was requested but is not installed (apt-get install "
                           "vulkan-validationlayers)");

  std::unique_ptr<Instance> instance(new Instance());
  instance->mPrintMessages = options.printMessages;

  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = options.appName.c_str();
  app.pEngineName = "Delineo";
  app.apiVersion = VK_API_VERSION_1_3;

  std::vector<const char*> layers;
  std::vector<const char*> extensions;
  VkDebugUtilsMessengerCreateInfoEXT messenger{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  messenger.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                              VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  messenger.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                          VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                          VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  messenger.pfnUserCallback = &Instance::onMessage;
  messenger.pUserData = instance.get();
  if (options.validation) {
    layers.push_back(kValidationLayer);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
  }
  for (const auto& e : options.extensions) extensions.push_back(e.c_str());

  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  info.enabledLayerCount = static_cast<uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  // Chained so that messages from vkCreateInstance itself are counted too.
  if (options.validation) info.pNext = &messenger;
  if (options.createInstance) VK_TRY(options.createInstance(info, &instance->mInstance));
  else VK_TRY(vkCreateInstance(&info, nullptr, &instance->mInstance));

  if (options.validation) {
    auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance->mInstance, "vkCreateDebugUtilsMessengerEXT"));
    if (!create) return core::makeError("the validation layer offers no debug messenger");
    VK_TRY(create(instance->mInstance, &messenger, nullptr, &instance->mMessenger));
  }
  return instance;
}

Instance::~Instance() {
  if (mMessenger != VK_NULL_HANDLE) {
    auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(mInstance, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy) destroy(mInstance, mMessenger, nullptr);
  }
  if (mInstance != VK_NULL_HANDLE) vkDestroyInstance(mInstance, nullptr);
}

int Instance::validationMessageCount() const {
  std::lock_guard lock(mMutex);
  return static_cast<int>(mMessages.size());
}

std::vector<std::string> Instance::validationMessages() const {
  std::lock_guard lock(mMutex);
  return mMessages;
}

VKAPI_ATTR VkBool32 VKAPI_CALL Instance::onMessage(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                   VkDebugUtilsMessageTypeFlagsEXT type,
                                                   const VkDebugUtilsMessengerCallbackDataEXT* data,
                                                   void* user) {
  auto* self = static_cast<Instance*>(user);
  const bool error = severity >= VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  std::string text = std::string(error ? "validation error: " : "validation warning: ") +
                     (data && data->pMessage ? data->pMessage : "");
  if (self->mPrintMessages) std::fprintf(stderr, "delineo: %s\n", text.c_str());
  // The loader's general warnings (e.g. "VK_INSTANCE_LAYERS is set") are not validation
  // findings: shown, not counted.
  if (!error && !(type & VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT)) return VK_FALSE;
  std::lock_guard lock(self->mMutex);
  self->mMessages.push_back(std::move(text));
  return VK_FALSE;
}

}  // namespace delineo::renderer
