#pragma once
// ViewerScript: scripted input for the viewer (tests, demos): one JSON object per line, one
// line per frame. A line with "tool" is an ops-script operation (committed through the
// Session); a line with "ui" is user input that goes through the same InputMapper as the
// mouse and keyboard:
//   {"ui":"stroke","view":"axial","from":[0.4,0.5],"to":[0.6,0.5],"steps":8}  (view fractions)
//   {"ui":"click","view":"axial","at":[0.5,0.5]}   {"ui":"key","key":"ctrl+z"}
//   {"ui":"tool","name":"brush"}  {"ui":"label","id":2}  {"ui":"radius","mm":5}
//   {"ui":"range","lower":100,"upper":3000}  {"ui":"crosshair","mm":[x,y,z]}
//   {"ui":"layout","name":"axial"}  {"ui":"resize","size":[w,h]}  {"ui":"minimize"}
//   {"ui":"restore"}  {"ui":"wait","frames":3}  {"ui":"save"}  {"ui":"screenshot","path":"a.png"}

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/desktop/ViewLayout.h"
#include "app/desktop/ViewerState.h"
#include "app/desktop/Window.h"
#include "core/Result.h"

namespace delineo::app {

// What a script acts on.
struct ScriptTarget {
  InputSink* input = nullptr;         // receives synthetic pointer and key events
  const ViewLayout* layout = nullptr;  // where the views are
  ViewerState* state = nullptr;        // tool settings, crosshair, layout
  Window* window = nullptr;            // resize / minimise / restore
  std::function<core::Result<std::string>(const nlohmann::json&)> applyOperation;  // "tool" lines
  std::function<void(const std::string& path)> save;        // "" = the labelmap's own path
  std::function<void(const std::string& path)> screenshot;
};

class ViewerScript {
 public:
  static core::Result<std::unique_ptr<ViewerScript>> load(const std::string& path);

  // Runs the next line (or waits out a "wait"). An error names FILE:LINE.
  core::Result<void> step(ScriptTarget& target);
  bool done() const { return mNext >= mLines.size() && mWait == 0; }

 private:
  core::Result<void> run(const nlohmann::json& line, ScriptTarget& target);

  std::string mPath;
  std::vector<std::pair<int, nlohmann::json>> mLines;  // line number, content
  std::size_t mNext = 0;
  int mWait = 0;
};

}  // namespace delineo::app
