#pragma once
// Internal to delineo_io: the pieces ItkImageIO.cpp and SegNrrd.cpp share. Includes ITK, so
// include it only from those two files (ITK headers compile slowly).

#include <itkImage.h>
#include <itkImageIOBase.h>

#include <string>

#include "core/Geometry.h"
#include "core/Result.h"

namespace delineo::io::detail {

// The first meaningful line of an ITK exception (its descriptions run over many lines).
std::string itkReason(const itk::ExceptionObject& e);

// Our LPS geometry from an ITK header that has been read: 2-D images become one slice; axes
// beyond the third must have size 1, else the message names `path` and the dimensions.
core::Result<core::Geometry> geometryFromImageIO(const itk::ImageIOBase& io, const std::string& path);

// A 3-D ITK image that borrows `voxels` (read-only use, e.g. by a writer) on geometry `g`.
template <typename T>
typename itk::Image<T, 3>::Pointer wrapVoxels(const core::Geometry& g, const T* voxels) {
  using ImageType = itk::Image<T, 3>;
  auto image = ImageType::New();
  typename ImageType::RegionType region;
  typename ImageType::SpacingType spacing;
  typename ImageType::PointType origin;
  typename ImageType::DirectionType direction;
  for (unsigned a = 0; a < 3; ++a) {
    region.SetSize(a, static_cast<itk::SizeValueType>(g.dims[a]));
    spacing[a] = g.spacingMm[static_cast<int>(a)];
    origin[a] = g.originMm[static_cast<int>(a)];
    for (unsigned r = 0; r < 3; ++r) direction(r, a) = g.direction.m[r][a];
  }
  image->SetRegions(region);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  // Borrowing instead of copying: a writer only reads the buffer, and volumes are large.
  image->GetPixelContainer()->SetImportPointer(const_cast<T*>(voxels),
                                               static_cast<itk::SizeValueType>(g.voxelCount()), false);
  return image;
}

}  // namespace delineo::io::detail
