#include "app/desktop/Window.h"

#include <cstdlib>

#define GLFW_INCLUDE_NONE
#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

namespace delineo::app {

namespace {

std::string glfwLastError() {
  const char* text = nullptr;
  glfwGetError(&text);
  return text ? text : "unknown reason";
}

}  // namespace

core::Result<std::unique_ptr<Window>> Window::create(const WindowOptions& options) {
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((!display || !*display) && (!wayland || !*wayland))
    return core::makeError("no display: the viewer needs a desktop session (DISPLAY is not set; "
                           "use xvfb-run for headless runs, or `delineo render` for images)");
  if (!glfwInit())
    return core::makeError("cannot open a window on display '" + std::string(display ? display : "") +
                           "': " + glfwLastError());
  std::unique_ptr<Window> window(new Window());
  if (!glfwVulkanSupported())
    return core::makeError("GLFW finds no Vulkan loader for windows (install libvulkan1)");
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  window->mWindow = glfwCreateWindow(options.width, options.height, options.title.c_str(), nullptr, nullptr);
  if (!window->mWindow) return core::makeError("cannot create a window: " + glfwLastError());
  glfwSetWindowUserPointer(window->mWindow, window.get());
  glfwSetCursorPosCallback(window->mWindow, [](GLFWwindow* w, double x, double y) {
    if (auto* s = self(w)->mSink) s->onCursor(x, y);
  });
  glfwSetMouseButtonCallback(window->mWindow, [](GLFWwindow* w, int button, int action, int mods) {
    if (auto* s = self(w)->mSink) s->onButton(button, action == GLFW_PRESS, mods);
  });
  glfwSetScrollCallback(window->mWindow, [](GLFWwindow* w, double dx, double dy) {
    if (auto* s = self(w)->mSink) s->onScroll(dx, dy);
  });
  glfwSetKeyCallback(window->mWindow, [](GLFWwindow* w, int key, int, int action, int mods) {
    if (action == GLFW_REPEAT && key != GLFW_KEY_LEFT_BRACKET && key != GLFW_KEY_RIGHT_BRACKET &&
        key != GLFW_KEY_PAGE_UP && key != GLFW_KEY_PAGE_DOWN && key != GLFW_KEY_UP && key != GLFW_KEY_DOWN)
      return;
    if (auto* s = self(w)->mSink) s->onKey(key, action != GLFW_RELEASE, mods);
  });
  return window;
}

Window::~Window() {
  if (mWindow) glfwDestroyWindow(mWindow);
  glfwTerminate();
}

Window* Window::self(GLFWwindow* window) { return static_cast<Window*>(glfwGetWindowUserPointer(window)); }

std::vector<std::string> Window::requiredInstanceExtensions() {
  uint32_t count = 0;
  const char** names = glfwGetRequiredInstanceExtensions(&count);
  std::vector<std::string> list;
  for (uint32_t i = 0; i < count; ++i) list.emplace_back(names[i]);
  return list;
}

core::Result<VkSurfaceKHR> Window::createSurface(VkInstance instance) const {
  VkSurfaceKHR surface = VK_NULL_HANDLE;
  VkResult r = glfwCreateWindowSurface(instance, mWindow, nullptr, &surface);
  if (r != VK_SUCCESS) return core::makeError("cannot create a Vulkan surface for the window: " + glfwLastError());
  return surface;
}

VkExtent2D Window::framebufferSize() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(mWindow, &w, &h);
  if (minimised()) return {0, 0};
  return {static_cast<uint32_t>(std::max(w, 0)), static_cast<uint32_t>(std::max(h, 0))};
}

bool Window::minimised() const { return glfwGetWindowAttrib(mWindow, GLFW_ICONIFIED) == GLFW_TRUE; }
bool Window::closeRequested() const { return glfwWindowShouldClose(mWindow); }
void Window::setCloseRequested(bool close) { glfwSetWindowShouldClose(mWindow, close ? GLFW_TRUE : GLFW_FALSE); }
void Window::setTitle(const std::string& title) { glfwSetWindowTitle(mWindow, title.c_str()); }
void Window::setSize(int width, int height) { glfwSetWindowSize(mWindow, width, height); }
void Window::minimise() { glfwIconifyWindow(mWindow); }
void Window::restore() { glfwRestoreWindow(mWindow); }

void Window::pollEvents(bool wait) {
  if (wait) glfwWaitEventsTimeout(0.25);
  else glfwPollEvents();
}

}  // namespace delineo::app
