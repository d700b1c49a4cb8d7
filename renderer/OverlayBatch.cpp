#include "renderer/OverlayBatch.h"

#include <algorithm>
#include <cmath>

namespace delineo::renderer {

namespace {

using core::Vec3;

constexpr double kNearMm = 1.0;  // perspective: geometry nearer the eye than this is cut off
constexpr double kPi = 3.14159265358979323846;

enum PrimKind : int32_t { kSegment = 0, kTriangle = 1, kSphere = 2 };

void set4(float* dst, double x, double y, double z, double w) {
  dst[0] = static_cast<float>(x);
  dst[1] = static_cast<float>(y);
  dst[2] = static_cast<float>(z);
  dst[3] = static_cast<float>(w);
}
void set4(float* dst, Vec3 v, double w) { set4(dst, v.x, v.y, v.z, w); }

// Collects primitives with the pixel rectangle they can touch; tiles are assigned at the end.
class Binner {
 public:
  Binner(VkExtent2D extent) : mExtent(extent) {
    mTilesX = (extent.width + kOverlayTile - 1) / kOverlayTile;
    mTilesY = (extent.height + kOverlayTile - 1) / kOverlayTile;
  }

  // `segment`: for long thin primitives, tiles farther than `reach` pixels from a to b are skipped.
  void add(const OverlayPrimGpu& prim, uint32_t view, double x0, double y0, double x1, double y1,
           const double* segment = nullptr, double reach = 0) {
    x0 = std::max(x0, 0.0);
    y0 = std::max(y0, 0.0);
    x1 = std::min(x1, double(mExtent.width));
    y1 = std::min(y1, double(mExtent.height));
    if (!(x0 < x1 && y0 < y1)) return;
    auto index = static_cast<uint32_t>(mBatch.prims.size());
    mBatch.prims.push_back(prim);
    auto tx0 = static_cast<uint32_t>(x0 / kOverlayTile), ty0 = static_cast<uint32_t>(y0 / kOverlayTile);
    auto tx1 = std::min(mTilesX - 1, static_cast<uint32_t>(x1 / kOverlayTile));
    auto ty1 = std::min(mTilesY - 1, static_cast<uint32_t>(y1 / kOverlayTile));
    const double half = kOverlayTile / 2.0, halfDiagonal = half * std::sqrt(2.0);
    for (uint32_t ty = ty0; ty <= ty1; ++ty)
      for (uint32_t tx = tx0; tx <= tx1; ++tx) {
        if (segment && distanceToSegment(tx * kOverlayTile + half, ty * kOverlayTile + half, segment) >
                           halfDiagonal + reach)
          continue;
        uint64_t key = (uint64_t{view} << 40) | (uint64_t{ty} << 20) | tx;
        mEntries.push_back({key, index});
      }
  }

  OverlayBatch finish() {
    // Stable: a tile's primitives keep the order they were added in, which is the drawing order.
    std::stable_sort(mEntries.begin(), mEntries.end(),
                     [](const Entry& a, const Entry& b) { return a.key < b.key; });
    for (size_t i = 0; i < mEntries.size();) {
      size_t j = i;
      while (j < mEntries.size() && mEntries[j].key == mEntries[i].key) mBatch.indices.push_back(mEntries[j++].prim);
      uint64_t key = mEntries[i].key;
      auto tx = static_cast<uint32_t>(key & 0xfffff), ty = static_cast<uint32_t>((key >> 20) & 0xfffff);
      mBatch.tiles.push_back({static_cast<uint32_t>(key >> 40), tx | (ty << 16), static_cast<uint32_t>(i),
                              static_cast<uint32_t>(j - i)});
      i = j;
    }
    return std::move(mBatch);
  }

  OverlayBatch& batch() { return mBatch; }

 private:
  struct Entry {
    uint64_t key;
    uint32_t prim;
  };
  static double distanceToSegment(double x, double y, const double* s) {
    double abx = s[2] - s[0], aby = s[3] - s[1];
    double len2 = abx * abx + aby * aby;
    double u = len2 > 0 ? std::clamp(((x - s[0]) * abx + (y - s[1]) * aby) / len2, 0.0, 1.0) : 0.0;
    return std::hypot(x - s[0] - u * abx, y - s[1] - u * aby);
  }

  VkExtent2D mExtent;
  uint32_t mTilesX = 0, mTilesY = 0;
  OverlayBatch mBatch;
  std::vector<Entry> mEntries;
};

OverlayPrimGpu makePrim(int32_t kind, uint32_t view, const Rgba& color, bool perspective) {
  OverlayPrimGpu p{};
  std::copy(color.begin(), color.end(), p.color);
  p.info[0] = kind;
  p.info[1] = static_cast<int32_t>(view);
  p.info[2] = perspective ? 1 : 0;
  return p;
}

void addSegment(Binner& bin, const ViewProjection& proj, uint32_t view, VkExtent2D extent, Vec3 a, Vec3 b,
                const Rgba& color, float widthPx, double sliceThicknessMm) {
  const bool perspective = proj.kind == ViewProjection::Kind::Perspective;
  if (perspective) {
    // Cut the part behind the near plane so the projection stays finite.
    double za = core::dot(a - proj.eyeMm, proj.forward), zb = core::dot(b - proj.eyeMm, proj.forward);
    if (za < kNearMm && zb < kNearMm) return;
    if (za < kNearMm) a = a + (b - a) * ((kNearMm - za) / (zb - za));
    if (zb < kNearMm) b = b + (a - b) * ((kNearMm - zb) / (za - zb));
  }
  auto pa = proj.project(a, extent), pb = proj.project(b, extent);
  if (!pa || !pb) return;
  if (proj.kind == ViewProjection::Kind::Slice) {
    // Entirely on one side of the slab around the plane: nothing to draw.
    if (((*pa)[2] > sliceThicknessMm && (*pb)[2] > sliceThicknessMm) ||
        ((*pa)[2] < -sliceThicknessMm && (*pb)[2] < -sliceThicknessMm))
      return;
  }
  OverlayPrimGpu p = makePrim(kSegment, view, color, perspective);
  set4(p.p0, (*pa)[0], (*pa)[1], (*pa)[2], 0);
  set4(p.p1, (*pb)[0], (*pb)[1], (*pb)[2], 0);
  double half = std::max(0.5, double(widthPx) / 2);
  p.style[0] = static_cast<float>(half);
  double r = half + 1;
  double seg[4] = {(*pa)[0], (*pa)[1], (*pb)[0], (*pb)[1]};
  bin.add(p, view, std::min(seg[0], seg[2]) - r, std::min(seg[1], seg[3]) - r, std::max(seg[0], seg[2]) + r,
          std::max(seg[1], seg[3]) + r, seg, r);
}

void addSphere(Binner& bin, const ViewProjection& proj, uint32_t view, VkExtent2D extent, const OverlaySphere& s) {
  const double r = s.radiusMm;
  if (!(r > 0)) return;
  if (proj.kind == ViewProjection::Kind::Slice) {
    auto c = proj.project(s.centreMm, extent);
    double h = (*c)[2];
    if (std::abs(h) >= r) return;
    double cut = std::sqrt(r * r - h * h);
    double px = std::min(core::length(proj.dx), core::length(proj.dy));
    double reach = cut / px + 2;
    OverlayPrimGpu p = makePrim(kSphere, view, s.color, false);
    set4(p.p0, s.centreMm, r);
    set4(p.p1, h, cut, 0, 0);
    bin.add(p, view, (*c)[0] - reach, (*c)[1] - reach, (*c)[0] + reach, (*c)[1] + reach);
    return;
  }
  // The bounding box of the projected corners of the sphere's bounding cube contains its image.
  double x0 = 1e30, y0 = 1e30, x1 = -1e30, y1 = -1e30;
  bool whole = false;
  for (int corner = 0; corner < 8; ++corner) {
    Vec3 q = s.centreMm + Vec3{corner & 1 ? r : -r, corner & 2 ? r : -r, corner & 4 ? r : -r};
    auto pq = proj.project(q, extent);
    if (!pq || (proj.kind == ViewProjection::Kind::Perspective && (*pq)[2] < kNearMm)) {
      whole = true;  // the eye is near or inside: the sphere may cover any pixel
      break;
    }
    x0 = std::min(x0, (*pq)[0]);
    y0 = std::min(y0, (*pq)[1]);
    x1 = std::max(x1, (*pq)[0]);
    y1 = std::max(y1, (*pq)[1]);
  }
  if (whole) x0 = y0 = 0, x1 = extent.width, y1 = extent.height;
  OverlayPrimGpu p = makePrim(kSphere, view, s.color, proj.kind == ViewProjection::Kind::Perspective);
  set4(p.p0, s.centreMm, r);
  bin.add(p, view, x0 - 1, y0 - 1, x1 + 1, y1 + 1);
}

void addMesh(Binner& bin, const ViewProjection& proj, uint32_t view, VkExtent2D extent, const OverlayMesh& m) {
  const bool perspective = proj.kind == ViewProjection::Kind::Perspective;
  for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
    Vec3 v[3];
    bool valid = true;
    for (int k = 0; k < 3; ++k) {
      uint32_t i = m.indices[t + size_t(k)];
      if (i >= m.verticesMm.size()) valid = false;
      else v[k] = m.verticesMm[i];
    }
    if (!valid) continue;
    std::array<double, 3> s[3];
    for (int k = 0; k < 3 && valid; ++k) {
      auto pk = proj.project(v[k], extent);
      // Triangles reaching behind the near plane are dropped rather than clipped: overlay
      // meshes are small and such a triangle would fill the view.
      if (!pk || (perspective && (*pk)[2] < kNearMm)) valid = false;
      else s[k] = *pk;
    }
    if (!valid) continue;
    // Headlight: lit by how squarely the triangle faces the eye.
    Vec3 n = core::cross(v[1] - v[0], v[2] - v[0]);
    if (core::length(n) <= 0) continue;
    Vec3 toEye = perspective ? (v[0] + v[1] + v[2]) / 3.0 - proj.eyeMm : proj.forward;
    double lit = 0.35 + 0.65 * std::abs(core::dot(core::normalize(n), core::normalize(toEye)));
    Rgba c = m.color;
    for (int k = 0; k < 3; ++k) c[size_t(k)] = static_cast<float>(std::min(1.0, c[size_t(k)] * lit));
    OverlayPrimGpu p = makePrim(kTriangle, view, c, perspective);
    set4(p.p0, s[0][0], s[0][1], s[0][2], 0);
    set4(p.p1, s[1][0], s[1][1], s[1][2], 0);
    set4(p.p2, s[2][0], s[2][1], s[2][2], 0);
    bin.add(p, view, std::min({s[0][0], s[1][0], s[2][0]}) - 1, std::min({s[0][1], s[1][1], s[2][1]}) - 1,
            std::max({s[0][0], s[1][0], s[2][0]}) + 1, std::max({s[0][1], s[1][1], s[2][1]}) + 1);
  }
}

}  // namespace

std::optional<std::array<double, 3>> ViewProjection::project(Vec3 pointMm, VkExtent2D extent) const {
  Vec3 rel = pointMm - eyeMm;
  double depth = core::dot(rel, forward);
  if (kind == Kind::Slice) {
    return std::array<double, 3>{core::dot(rel, dx) / core::dot(dx, dx) + 0.5,
                                 core::dot(rel, dy) / core::dot(dy, dy) + 0.5, depth};
  }
  Vec3 offs;
  if (kind == Kind::Perspective) {
    if (depth <= 0) return std::nullopt;
    offs = rel / depth - forward;
  } else {
    offs = rel - forward * depth;
  }
  // The inverse of raymarch.comp's pixel -> ray mapping (dx and dy are perpendicular to forward).
  return std::array<double, 3>{core::dot(offs, dx) / core::dot(dx, dx) + 0.5 * extent.width - offsetX,
                               core::dot(offs, dy) / core::dot(dy, dy) + 0.5 * extent.height - offsetY,
                               depth};
}

ViewProjection viewProjection(const View& view, VkExtent2D extent) {
  ViewProjection p;
  if (view.kind == View::Kind::Slice) {
    const SlicePlane& s = view.slice;
    p.kind = ViewProjection::Kind::Slice;
    p.eyeMm = s.originMm;
    p.forward = core::normalize(core::cross(s.columnStepMm, s.rowStepMm));
    p.dx = s.columnStepMm;
    p.dy = s.rowStepMm;
    return p;
  }
  const Camera& c = view.camera;
  p.kind = c.orthographic ? ViewProjection::Kind::Orthographic : ViewProjection::Kind::Perspective;
  p.eyeMm = c.eyeMm;
  p.forward = core::normalize(c.forward);
  double pixel = c.orthographic ? c.heightMm / extent.height : 2 * std::tan(c.fovYDeg * kPi / 360) / extent.height;
  double pixelX = c.orthographic && c.widthMm > 0 ? c.widthMm / extent.width : pixel;
  if (!c.orthographic && c.tanRight > c.tanLeft && c.tanUp > c.tanDown) {
    // Asymmetric frustum: pixel steps from the tangents, and the image centre's offset from
    // the forward axis in pixels, which the shaders add to the pixel coordinate.
    double sx = (c.tanRight - c.tanLeft) / extent.width, sy = (c.tanUp - c.tanDown) / extent.height;
    p.dx = c.right * sx;
    p.dy = c.down * sy;
    p.offsetX = 0.5 * (c.tanRight + c.tanLeft) / sx;
    p.offsetY = -0.5 * (c.tanUp + c.tanDown) / sy;
  } else {
    p.dx = c.right * pixelX;
    p.dy = c.down * pixel;
  }
  return p;
}

OverlayBatch buildOverlayBatch(const FrameParams& frame, VkExtent2D extent) {
  const Overlays& o = frame.overlays;
  Binner bin(extent);
  OverlayHeaderGpu& h = bin.batch().header;
  set4(h.style, o.occludedOpacity, o.sliceThicknessMm, 0, 0);
  h.extent[0] = static_cast<int32_t>(extent.width);
  h.extent[1] = static_cast<int32_t>(extent.height);
  const size_t views = std::min(frame.views.size(), size_t{kMaxViews});
  std::vector<ViewProjection> proj;
  for (size_t i = 0; i < views; ++i) {
    proj.push_back(viewProjection(frame.views[i], extent));
    const ViewProjection& p = proj.back();
    OverlayViewGpu& g = h.views[i];
    set4(g.eye, p.eyeMm, double(static_cast<int>(p.kind)));
    set4(g.forward, p.forward, double(i));
    set4(g.dx, p.dx, p.offsetX);
    set4(g.dy, p.dy, p.offsetY);
  }
  auto drawsIn = [](uint32_t mask, size_t view) { return (mask >> view) & 1u; };
  for (uint32_t v = 0; v < views; ++v) {
    const ViewProjection& p = proj[v];
    if (p.kind != ViewProjection::Kind::Slice)
      for (const auto& m : o.meshes)
        if (drawsIn(m.viewMask, v)) addMesh(bin, p, v, extent, m);
    for (const auto& s : o.spheres)
      if (drawsIn(s.viewMask, v)) addSphere(bin, p, v, extent, s);
    for (const auto& l : o.polylines) {
      if (!drawsIn(l.viewMask, v)) continue;
      size_t n = l.pointsMm.size();
      size_t segments = l.closed && n > 2 ? n : (n > 0 ? n - 1 : 0);
      for (size_t i = 0; i < segments; ++i)
        addSegment(bin, p, v, extent, l.pointsMm[i], l.pointsMm[(i + 1) % n], l.color, l.widthPx,
                   o.sliceThicknessMm);
    }
    for (const auto& l : o.lines)
      if (drawsIn(l.viewMask, v))
        addSegment(bin, p, v, extent, l.fromMm, l.toMm, l.color, l.widthPx, o.sliceThicknessMm);
  }
  return bin.finish();
}

}  // namespace delineo::renderer
