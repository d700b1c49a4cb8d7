#pragma once
// Window: a GLFW window without a graphics API (Vulkan draws into it through a surface), and
// the GLFW library's lifetime with it. Raw input is forwarded to an InputSink; the window knows
// nothing of what the input means. One per process (GLFW is process-global).

#include <memory>
#include <string>
#include <vector>

#include <vulkan/vulkan.h>

#include "core/Result.h"

struct GLFWwindow;

namespace delineo::app {

// Receives the window's raw events (window pixel coordinates, GLFW key/button/mod codes).
class InputSink {
 public:
  virtual ~InputSink() = default;
  virtual void onCursor(double x, double y) = 0;
  virtual void onButton(int button, bool pressed, int mods) = 0;
  virtual void onScroll(double dx, double dy) = 0;
  virtual void onKey(int key, bool pressed, int mods) = 0;
};

struct WindowOptions {
  int width = 1600;             // initial size in screen coordinates
  int height = 1000;
  std::string title = "Delineo";  // never a patient's name: screenshots show it
  bool visible = true;          // hidden windows still render (tests)
};

class Window {
 public:
  // Fails with one line a user can act on when there is no display or GLFW cannot start.
  static core::Result<std::unique_ptr<Window>> create(const WindowOptions& options);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // Instance extensions a surface on this window needs.
  static std::vector<std::string> requiredInstanceExtensions();
  core::Result<VkSurfaceKHR> createSurface(VkInstance instance) const;

  GLFWwindow* handle() const { return mWindow; }
  VkExtent2D framebufferSize() const;
  bool minimised() const;
  bool closeRequested() const;
  void setCloseRequested(bool close);
  void setTitle(const std::string& title);
  void setSize(int width, int height);
  void minimise();
  void restore();
  // Processes pending events; `wait`: blocks until one arrives (idle windows use no CPU).
  void pollEvents(bool wait = false);

  // Called after ImGui's own callbacks (ImGui chains to whatever was installed before it).
  void setInputSink(InputSink* sink) { mSink = sink; }

 private:
  Window() = default;
  static Window* self(GLFWwindow* window);

  GLFWwindow* mWindow = nullptr;
  InputSink* mSink = nullptr;
};

}  // namespace delineo::app
