#version 460
// XR overlays drawn over the raymarched views in the same patient-space cameras: the tool
// cursor (a sphere of the brush's true size), controller markers and rays (capsules), the
// panel and the handheld clip plane (quads, the panel textured). Each pixel intersects the
// primitives analytically and blends them back to front; parts behind the volume's depth are
// drawn faint (x-ray), so the cursor stays visible inside tissue.

layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;

const int kMaxPrims = 16;
const int kSphere = 0;
const int kCapsule = 1;
const int kQuad = 2;

struct ViewData {
  vec4 eye;      // xyz: eye (mm); w unused (always perspective)
  vec4 forward;  // xyz: unit view axis; w: target layer
  vec4 dx;       // xyz: one pixel right; w: image-centre offset in pixels
  vec4 dy;       // xyz: one pixel down; w: as dx.w
};
struct Prim {
  vec4 a;      // sphere: centre, radius; capsule: end a, radius; quad: centre, textured (w = 1)
  vec4 b;      // capsule: end b; quad: half-width axis (u)
  vec4 c;      // quad: half-height axis (v, downwards in the texture)
  vec4 color;  // rgba (textured quads: multiplies the texture)
  ivec4 kind;  // x: kind; y: 1 = rim shading (cursor)
};

layout(set = 0, binding = 0, std140) uniform Overlay {
  ViewData views[4];
  Prim prims[kMaxPrims];
  ivec4 counts;  // x: views, y: primitives, z, w: image size
  vec4 style;    // x: opacity of occluded parts
} uOverlay;
layout(set = 0, binding = 1, rgba8) uniform image2DArray uColor;
layout(set = 0, binding = 2, r32f) uniform readonly image2DArray uDepth;
layout(set = 0, binding = 3) uniform sampler2DArray uPanel;  // one layer (Image views 2D images as arrays)

float sphereHit(vec3 o, vec3 d, vec3 c, float r, out float graze) {
  vec3 oc = o - c;
  float b = dot(oc, d);
  float h = b * b - (dot(oc, oc) - r * r);
  graze = 0.0;
  if (h < 0.0) return -1.0;
  float t = -b - sqrt(h);
  if (t < 0.0) t = -b + sqrt(h);
  graze = 1.0 - abs(dot(normalize(o + t * d - c), d));
  return t;
}

float capsuleHit(vec3 o, vec3 d, vec3 pa, vec3 pb, float r) {
  vec3 ba = pb - pa, oa = o - pa;
  float baba = dot(ba, ba), bard = dot(ba, d), baoa = dot(ba, oa), rdoa = dot(d, oa), oaoa = dot(oa, oa);
  float a = baba - bard * bard, b = baba * rdoa - baoa * bard, c = baba * oaoa - baoa * baoa - r * r * baba;
  float h = b * b - a * c;
  if (h >= 0.0 && a > 1e-12) {
    float t = (-b - sqrt(h)) / a;
    float y = baoa + t * bard;
    if (y > 0.0 && y < baba && t > 0.0) return t;
  }
  float g;
  float t0 = sphereHit(o, d, pa, r, g);
  float t1 = sphereHit(o, d, pb, r, g);
  if (t0 < 0.0) return t1;
  if (t1 < 0.0) return t0;
  return min(t0, t1);
}

void main() {
  ivec2 size = uOverlay.counts.zw;
  ivec2 pixel = ivec2(gl_GlobalInvocationID.xy);
  int viewIndex = int(gl_GlobalInvocationID.z);
  if (pixel.x >= size.x || pixel.y >= size.y || viewIndex >= uOverlay.counts.x) return;
  ViewData view = uOverlay.views[viewIndex];
  ivec3 at = ivec3(pixel, int(view.forward.w));
  vec2 pc = vec2(pixel) + 0.5 - 0.5 * vec2(size) + vec2(view.dx.w, view.dy.w);
  vec3 o = view.eye.xyz;
  vec3 d = normalize(view.forward.xyz + pc.x * view.dx.xyz + pc.y * view.dy.xyz);
  float along = dot(d, view.forward.xyz);
  float sceneDepth = imageLoad(uDepth, at).r;

  float ts[kMaxPrims];
  vec4 cs[kMaxPrims];
  int n = 0;
  for (int i = 0; i < uOverlay.counts.y; ++i) {
    Prim p = uOverlay.prims[i];
    float t = -1.0;
    vec4 col = p.color;
    if (p.kind.x == kSphere) {
      float graze;
      t = sphereHit(o, d, p.a.xyz, p.a.w, graze);
      // A shell brighter at its silhouette: its true extent reads at a glance.
      if (p.kind.y == 1) col.a = clamp(col.a * (0.35 + 1.6 * graze * graze), 0.0, 1.0);
    } else if (p.kind.x == kCapsule) {
      t = capsuleHit(o, d, p.a.xyz, p.b.xyz, p.a.w);
    } else if (p.kind.x == kQuad) {
      vec3 u = p.b.xyz, v = p.c.xyz;
      vec3 nrm = cross(u, v);
      float nd = dot(nrm, d);
      if (abs(nd) > 1e-12) {
        float tq = dot(p.a.xyz - o, nrm) / nd;
        vec3 q = o + tq * d - p.a.xyz;
        float su = dot(q, u) / dot(u, u), sv = dot(q, v) / dot(v, v);
        if (tq > 0.0 && abs(su) <= 1.0 && abs(sv) <= 1.0) {
          t = tq;
          if (p.a.w > 0.5) col *= texture(uPanel, vec3(vec2(su, sv) * 0.5 + 0.5, 0.0));
        }
      }
    }
    if (t <= 0.0 || n >= kMaxPrims) continue;
    if (t * along > sceneDepth) col.a *= uOverlay.style.x;
    // Insertion by distance, farthest first.
    int j = n++;
    while (j > 0 && ts[j - 1] < t) {
      ts[j] = ts[j - 1];
      cs[j] = cs[j - 1];
      --j;
    }
    ts[j] = t;
    cs[j] = col;
  }
  if (n == 0) return;
  vec3 rgb = imageLoad(uColor, at).rgb;
  for (int i = 0; i < n; ++i) rgb = mix(rgb, cs[i].rgb, cs[i].a);
  imageStore(uColor, at, vec4(rgb, 1.0));
}
