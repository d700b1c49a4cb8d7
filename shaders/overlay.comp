#version 460
// FrameParams::overlays over the raymarched and slice views (built by OverlayBatch): one
// workgroup per 16x16 tile that has something to draw; each pixel blends its tile's
// primitives in order. In volume views a primitive behind the depth output (the volume's
// first opaque point, or an opaque mesh drawn earlier) keeps only the occluded opacity; in
// slice views only what lies within the slice thickness of the plane is drawn. Opaque meshes
// are written into the depth output.

layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;

const int kSegment = 0;
const int kTriangle = 1;
const int kSphere = 2;
const int kPerspective = 0;
const int kOrthographic = 1;
const int kSlice = 2;

struct View {
  vec4 eye;      // perspective: eye; orthographic: image centre; slice: pixel (0,0); w: kind
  vec4 forward;  // unit view axis or plane normal; w: target layer
  vec4 dx;       // one pixel right; w: image-centre offset in pixels (asymmetric frustum)
  vec4 dy;       // one pixel down; w: as dx.w, vertically
};
struct Prim {
  vec4 p0;     // segment/triangle: pixel x, y, depth; sphere: centre (mm), radius
  vec4 p1;     // segment/triangle: second vertex; slice sphere: centre's plane distance, cut radius
  vec4 p2;     // triangle: third vertex
  vec4 color;  // straight rgba (triangles already lit)
  ivec4 info;  // x: kind, y: view, z: 1 = depth interpolates as 1/z (perspective)
  vec4 style;  // x: segment half width in pixels
};

layout(set = 0, binding = 0, std430) readonly buffer Header {
  View views[4];
  vec4 style;    // x: opacity of occluded parts, y: slice thickness (mm)
  ivec4 extent;  // image size
} uHeader;
layout(set = 0, binding = 1, std430) readonly buffer Prims { Prim prims[]; } uPrims;
layout(set = 0, binding = 2, std430) readonly buffer Tiles { uvec4 tiles[]; } uTiles;  // view, x | y << 16, first, count
layout(set = 0, binding = 3, std430) readonly buffer Indices { uint indices[]; } uIndices;
layout(set = 0, binding = 4, rgba8) uniform image2DArray uColor;
layout(set = 0, binding = 5, r32f) uniform image2DArray uDepth;  // opaque meshes write theirs

float interpolateDepth(float a, float b, float u, bool perspective) {
  return perspective ? 1.0 / mix(1.0 / a, 1.0 / b, u) : mix(a, b, u);
}

float edge(vec2 a, vec2 b, vec2 p) { return (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x); }

void main() {
  uvec4 tile = uTiles.tiles[gl_WorkGroupID.x];
  ivec2 pixel = ivec2(tile.y & 0xffffu, tile.y >> 16) * 16 + ivec2(gl_LocalInvocationID.xy);
  if (pixel.x >= uHeader.extent.x || pixel.y >= uHeader.extent.y) return;
  View view = uHeader.views[tile.x];
  int kind = int(view.eye.w + 0.5);
  ivec3 pos = ivec3(pixel, int(view.forward.w + 0.5));
  vec2 s = vec2(pixel) + 0.5;
  vec4 color = imageLoad(uColor, pos);
  float nearest = kind == kSlice ? 3.0e38 : imageLoad(uDepth, pos).r;
  const float sceneDepth = nearest;
  float occludedOpacity = uHeader.style.x, thickness = uHeader.style.y;

  // This pixel's ray, as raymarch.comp casts it (spheres are intersected analytically).
  vec2 pc = s - 0.5 * vec2(uHeader.extent.xy) + vec2(view.dx.w, view.dy.w);
  vec3 offs = pc.x * view.dx.xyz + pc.y * view.dy.xyz;
  vec3 rayOrigin = kind == kPerspective ? view.eye.xyz : view.eye.xyz + offs;
  vec3 rayDir = kind == kPerspective ? normalize(view.forward.xyz + offs) : view.forward.xyz;
  vec3 planePoint = view.eye.xyz + vec2(pixel).x * view.dx.xyz + vec2(pixel).y * view.dy.xyz;

  for (uint i = 0u; i < tile.w; ++i) {
    Prim p = uPrims.prims[uIndices.indices[tile.z + i]];
    bool perspective = p.info.z == 1;
    vec3 rgb = p.color.rgb;
    float alpha = p.color.a;
    float cover = 0.0;
    float depth = 0.0;
    if (p.info.x == kSegment) {
      vec2 a = p.p0.xy, ab = p.p1.xy - p.p0.xy;
      float len2 = dot(ab, ab);
      float u = len2 > 0.0 ? clamp(dot(s - a, ab) / len2, 0.0, 1.0) : 0.0;
      cover = clamp(p.style.x + 0.5 - length(s - a - u * ab), 0.0, 1.0);
      depth = interpolateDepth(p.p0.z, p.p1.z, u, perspective);
      if (kind == kSlice) {
        if (abs(depth) > thickness) cover = 0.0;
        depth = 0.0;
      }
    } else if (p.info.x == kTriangle) {
      float w0 = edge(p.p1.xy, p.p2.xy, s), w1 = edge(p.p2.xy, p.p0.xy, s), w2 = edge(p.p0.xy, p.p1.xy, s);
      float area = w0 + w1 + w2;
      if (abs(area) > 1e-12 && w0 * area >= 0.0 && w1 * area >= 0.0 && w2 * area >= 0.0) {
        vec3 b = vec3(w0, w1, w2) / area;
        depth = perspective ? 1.0 / dot(b, 1.0 / vec3(p.p0.z, p.p1.z, p.p2.z)) : dot(b, vec3(p.p0.z, p.p1.z, p.p2.z));
        cover = 1.0;
      }
    } else if (kind == kSlice) {
      // The sphere's cross-section with the plane: a faint disk with a solid outline.
      vec3 q = planePoint - p.p0.xyz;
      float inPlane = sqrt(max(dot(q, q) - p.p1.x * p.p1.x, 0.0));
      float pixelMm = length(view.dx.xyz);
      float ring = clamp(1.5 - abs(inPlane - p.p1.y) / pixelMm, 0.0, 1.0);
      float inside = clamp((p.p1.y - inPlane) / pixelMm + 0.5, 0.0, 1.0);
      cover = 1.0;
      alpha = max(ring, inside * alpha * 0.5);
    } else {
      vec3 oc = rayOrigin - p.p0.xyz;
      float r = p.p0.w;
      float b = dot(oc, rayDir);
      float miss = sqrt(max(dot(oc, oc) - b * b, 0.0));  // ray's distance from the centre
      float pixelMm = length(view.dx.xyz) * (kind == kPerspective ? max(-b, 1e-3) : 1.0);
      cover = clamp((r - miss) / pixelMm + 0.5, 0.0, 1.0);
      float h = sqrt(max(r * r - miss * miss, 0.0));
      float t = -b - h;
      if (t < 0.0) t = -b + h;  // the eye is inside: the far side
      if (t < 0.0) cover = 0.0;
      vec3 n = normalize(rayOrigin + t * rayDir - p.p0.xyz);
      float facing = abs(dot(n, rayDir));
      rgb = rgb * (0.35 + 0.65 * facing) + vec3(0.3 * pow(facing, 24.0));
      alpha = alpha + (1.0 - alpha) * 0.7 * (1.0 - facing) * (1.0 - facing);  // denser rim
      depth = t * dot(rayDir, view.forward.xyz);
    }
    if (cover <= 0.0) continue;
    bool hidden = kind != kSlice && depth > nearest;
    if (hidden) cover *= occludedOpacity;
    color.rgb = mix(color.rgb, rgb, cover * alpha);
    // An opaque mesh hides what is drawn after it, as the volume does.
    if (p.info.x == kTriangle && !hidden && alpha >= 0.999) nearest = depth;
  }
  imageStore(uColor, pos, color);
  // What is drawn after this pass (the XR panel) is hidden by opaque meshes as by the volume.
  if (nearest < sceneDepth) imageStore(uDepth, pos, vec4(nearest));
}
