#pragma once
// `delineo render INPUT --out FILE.png`: renders a volume offscreen (DVR, MIP, MinIP,
// isosurface, or a slice) through the Vulkan renderer and writes a PNG; with --repeat N it
// also times N frames turning the view and reports the median milliseconds per frame.

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace delineo::app {

struct RenderOptions {
  std::string input;          // volume to render (any format io::readImage reads)
  std::string labels;         // labelmap file, or "input" for the labels stored in the input
  std::string mode = "dvr";   // dvr, mip, minip, iso, labels
  std::string preset;         // transfer-function preset; default ct-bone (CT) or mr-default
  double window = 0;          // window width in data units (0: the preset's)
  double level = 0;           // window centre (used when window > 0)
  bool levelGiven = false;    // set by the parser when --level was given
  double iso = 0;             // isosurface value (isoGiven)
  bool isoGiven = false;
  std::string view = "anterior";  // anterior, posterior, left, right, superior, inferior
  double azimuthDeg = 0;      // turn about the view's up axis
  double elevationDeg = 0;    // tilt; positive looks from above
  double zoom = 1;            // magnification
  bool ortho = false;         // orthographic projection
  double stepMm = 0;          // sample distance (0: half the smallest spacing)
  std::string size;           // WxH; default 512x512, or one pixel per voxel for slices
  std::string slice;          // axial, sagittal or coronal: render a slice instead
  std::int64_t index = -1;    // slice index (default: the middle one)
  int repeat = 0;             // time N frames turning the azimuth by 360/N each
  bool json = false;          // machine-readable report on stdout
  bool noSkip = false;        // disable empty-space skipping (for comparisons)
  bool validate = false;      // enable the Vulkan validation layer
  int gpu = -1;               // GPU index (default: DELINEO_GPU, else automatic)
  std::string out;            // PNG to write
};

void addRenderCommand(CLI::App& cli, RenderOptions& options);
int runRender(const RenderOptions& options);

}  // namespace delineo::app
