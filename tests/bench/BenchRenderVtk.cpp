// Benchmark: our Vulkan raymarcher against VTK's volume ray casters, side by side in one
// process, on the same data, view, image size and sample distance: the head CT (256x256x108)
// and its 512^3 upsampling, 512^2 and 1024^2, DVR (ct-bone preset, shaded) and MIP.
//   ours:      VolumeRenderer on the Vulkan device (lavapipe on a machine without a GPU)
//   vtk-cpu:   vtkFixedPointVolumeRayCastMapper (VTK's CPU ray caster, all cores)
//   vtk-gl:    vtkGPUVolumeRayCastMapper (OpenGL; Mesa llvmpipe on a machine without a GPU)
// Each number is the median ms over an orbit of N frames after one warm-up frame; the ratio is
// ours / VTK (below 1: ours is faster). Built only where VTK 9 is installed (libvtk9-dev, not
// part of CI's setup); VTK needs a display: xvfb-run -a bench_render_vtk [--quick] [--frames N]
// [--save DIR] (--save writes each run's pictures, to check they show the same thing; where the
// volume's axes are left-handed, as the InVesalius sample's are, VTK's picture is the mirror
// image of ours, since VTK here places voxels by spacing alone: the same rays, the same work).

#include <vtkCamera.h>
#include <vtkColorTransferFunction.h>
#include <vtkFixedPointVolumeRayCastMapper.h>
#include <vtkGPUVolumeRayCastMapper.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkPiecewiseFunction.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "RenderBenchCommon.h"

using namespace delineo;
using namespace delineo::renderer;
using delineo::bench::medianMs;

namespace {

// VTK's image data has no orientation here: world = continuous index * spacing. Our cameras
// live in patient LPS mm; this maps them into that frame.
struct VtkFrame {
  core::Geometry g;
  core::Vec3 point(core::Vec3 lps) const {
    core::Vec3 d = lps - g.originMm;
    core::Mat3 t = g.direction.transposed();
    return t * d;
  }
  core::Vec3 vector(core::Vec3 v) const { return g.direction.transposed() * v; }
};

class VtkScene {
 public:
  VtkScene(const core::Volume& volume, bool gpuMapper, const TransferFunction& tf, RenderMode mode,
           double stepMm, uint32_t size)
      : mFrame{volume.geometry()} {
    const auto& g = volume.geometry();
    mImage->SetDimensions(int(g.dims[0]), int(g.dims[1]), int(g.dims[2]));
    mImage->SetSpacing(g.spacingMm.x, g.spacingMm.y, g.spacingMm.z);
    mImage->SetOrigin(0, 0, 0);
    mImage->AllocateScalars(VTK_SHORT, 1);
    auto voxels = volume.voxels<std::int16_t>();
    std::memcpy(mImage->GetScalarPointer(), voxels.data(), voxels.size_bytes());

    vtkNew<vtkColorTransferFunction> color;
    vtkNew<vtkPiecewiseFunction> opacity;
    if (mode == RenderMode::Mip) {
      double lo = tf.windowLevel - tf.windowWidth / 2, hi = tf.windowLevel + tf.windowWidth / 2;
      color->AddRGBPoint(lo, 0, 0, 0);
      color->AddRGBPoint(hi, 1, 1, 1);
      opacity->AddPoint(-32768, 1);
      opacity->AddPoint(32767, 1);
    } else {
      for (const auto& c : tf.colors) color->AddRGBPoint(c.value, c.rgb[0], c.rgb[1], c.rgb[2]);
      for (const auto& o : tf.opacities) opacity->AddPoint(o.value, o.opacity);
    }
    mProperty->SetColor(color);
    mProperty->SetScalarOpacity(opacity);
    mProperty->SetScalarOpacityUnitDistance(tf.opacityUnitDistanceMm);
    mProperty->SetInterpolationTypeToLinear();
    if (mode == RenderMode::Dvr) {
      Shading s;  // the renderer's defaults
      mProperty->ShadeOn();
      mProperty->SetAmbient(s.ambient);
      mProperty->SetDiffuse(s.diffuse);
      mProperty->SetSpecular(s.specular);
      mProperty->SetSpecularPower(s.shininess);
    }

    if (gpuMapper) {
      vtkNew<vtkGPUVolumeRayCastMapper> m;
      m->SetAutoAdjustSampleDistances(0);
      m->SetLockSampleDistanceToInputSpacing(0);
      m->SetSampleDistance(float(stepMm));
      m->SetImageSampleDistance(1.0f);
      mMapper = m;
    } else {
      vtkNew<vtkFixedPointVolumeRayCastMapper> m;
      m->SetAutoAdjustSampleDistances(0);
      m->SetLockSampleDistanceToInputSpacing(0);
      m->SetSampleDistance(float(stepMm));
      m->SetInteractiveSampleDistance(float(stepMm));
      m->SetImageSampleDistance(1.0f);
      mMapper = m;
    }
    mMapper->SetInputData(mImage);
    if (mode == RenderMode::Mip) mMapper->SetBlendModeToMaximumIntensity();
    else mMapper->SetBlendModeToComposite();
    mVolume->SetMapper(mMapper);
    mVolume->SetProperty(mProperty);
    mRenderer->AddVolume(mVolume);
    mRenderer->SetBackground(0, 0, 0);
    mWindow->SetOffScreenRendering(1);
    mWindow->SetMultiSamples(0);
    mWindow->SetSize(int(size), int(size));
    mWindow->AddRenderer(mRenderer);
    mWindow->SetDesiredUpdateRate(0.0001);  // never trade quality for speed
  }

  void setCamera(const Camera& cam) {
    vtkCamera* c = mRenderer->GetActiveCamera();
    core::Vec3 eye = mFrame.point(cam.eyeMm);
    core::Vec3 focus = mFrame.point(cam.eyeMm + cam.forward * 100.0);
    core::Vec3 up = mFrame.vector(cam.down * -1.0);
    c->SetPosition(eye.x, eye.y, eye.z);
    c->SetFocalPoint(focus.x, focus.y, focus.z);
    c->SetViewUp(up.x, up.y, up.z);
    c->SetViewAngle(cam.fovYDeg);
    mRenderer->ResetCameraClippingRange();
  }

  void render() {
    mWindow->Render();
    mWindow->WaitForCompletion();
  }

  void savePng(const std::string& path) {
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(mWindow);
    grab->ReadFrontBufferOff();
    vtkNew<vtkPNGWriter> writer;
    writer->SetFileName(path.c_str());
    writer->SetInputConnection(grab->GetOutputPort());
    writer->Write();
  }

 private:
  VtkFrame mFrame;
  vtkNew<vtkImageData> mImage;
  vtkNew<vtkVolumeProperty> mProperty;
  vtkSmartPointer<vtkVolumeMapper> mMapper;
  vtkNew<vtkVolume> mVolume;
  vtkNew<vtkRenderer> mRenderer;
  vtkNew<vtkRenderWindow> mWindow;
};

double vtkMedianMs(VtkScene& scene, const core::Geometry& g, uint32_t size, int frames, const std::string& png) {
  std::vector<double> ms;
  for (int f = -1; f < frames; ++f) {
    scene.setCamera(orbitCamera(g, {NamedView::Anterior, 360.0 * std::max(f, 0) / frames, 10, 1, false}, size, size));
    auto start = std::chrono::steady_clock::now();
    scene.render();
    if (f >= 0) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    if (f < 0 && !png.empty()) scene.savePng(png);
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int frames = 5;
  std::string saveDir;
  std::string input = "/usr/share/doc/invesalius-examples/examples/Cranium.inv3";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") quick = true;
    else if (a == "--frames" && i + 1 < argc) frames = std::max(1, std::atoi(argv[++i]));
    else if (a == "--save" && i + 1 < argc) saveDir = argv[++i];
    else if (a == "--input" && i + 1 < argc) input = argv[++i];
    else return std::fprintf(stderr, "bench_render_vtk: unknown argument %s\n", a.c_str()), 2;
  }
  auto setup = bench::openBench(input, quick);
  if (!setup) return std::fprintf(stderr, "bench_render_vtk: %s\n", setup.message().c_str()), 1;
  Device* device = setup->device.get();
  const TransferFunction* preset = &setup->preset;
  std::printf("ours on: %s; VTK %s\n", device->name().c_str(), "9 (fixed-point CPU mapper, OpenGL GPU mapper)");
  std::printf("%-16s %-9s %-4s %9s %9s %9s %11s %10s\n", "volume", "image", "mode", "ours ms", "vtk-cpu", "vtk-gl",
              "ours/cpu", "ours/gl");

  for (auto& d : setup->volumes) {
    auto renderer = VolumeRenderer::create(*device);
    if (!renderer) return std::fprintf(stderr, "bench_render_vtk: %s\n", renderer.message().c_str()), 1;
    if (auto r = (*renderer)->setVolume(d.volume); !r)
      return std::fprintf(stderr, "bench_render_vtk: %s\n", r.message().c_str()), 1;
    const double step = (*renderer)->defaultStepMm();
    for (uint32_t size : {512u, 1024u}) {
      if (quick && size > 512) continue;
      for (RenderMode mode : {RenderMode::Dvr, RenderMode::Mip}) {
        const char* name = mode == RenderMode::Dvr ? "dvr" : "mip";
        auto png = [&](const char* who) {
          return saveDir.empty() ? std::string()
                                 : saveDir + "/" + d.tag + "-" + std::to_string(size) + "-" + name + "-" + who + ".png";
        };
        FrameParams frame;
        frame.volume.mode = mode;
        frame.volume.transfer = *preset;
        frame.volume.windowWidth = preset->windowWidth;
        frame.volume.windowLevel = preset->windowLevel;
        frame.volume.stepMm = step;
        double ours = medianMs(*device, **renderer, frame, d.volume.geometry(), size, frames, false, png("ours"));
        double cpu = 0, gl = 0;
        {
          VtkScene scene(d.volume, false, *preset, mode, step, size);
          cpu = vtkMedianMs(scene, d.volume.geometry(), size, frames, png("vtkcpu"));
        }
        {
          VtkScene scene(d.volume, true, *preset, mode, step, size);
          gl = vtkMedianMs(scene, d.volume.geometry(), size, frames, png("vtkgl"));
        }
        std::printf("%-16s %4ux%-4u %-4s %9.1f %9.1f %9.1f %10.2fx %9.2fx\n", d.name.c_str(), size, size, name, ours, cpu,
                    gl, ours / cpu, ours / gl);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
