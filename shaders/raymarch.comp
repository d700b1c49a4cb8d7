#version 460
// Raymarcher: one dispatch renders every volume view of a frame (1 on the desktop, 2 for a
// headset). Tiles of 8x8 pixels are interleaved across workgroups so that lavapipe's threads,
// which each take a contiguous range of workgroups, get equal shares of costly tiles.
// Variants (specialization constants): mode, empty-space skipping, packed gradients, labels.
#extension GL_GOOGLE_include_directive : require
#include "render_common.glsl"

layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;

layout(constant_id = 0) const int kMode = 0;  // 0 DVR, 1 MIP, 2 MinIP, 3 isosurface, 4 labels only
layout(constant_id = 1) const bool kSkipEmpty = true;
layout(constant_id = 2) const bool kPackedGradient = true;
layout(constant_id = 3) const bool kLabels = false;

const int kDvr = 0;
const int kMip = 1;
const int kMinIp = 2;
const int kIso = 3;
const int kLabelsOnly = 4;
const uint kInterleave = 8u;
const float kNoDepth = 3.0e38;

struct ViewData {
  vec4 eye;      // xyz: eye (perspective) or image-plane centre (orthographic); w: 1 = orthographic
  vec4 forward;  // xyz: view direction; w: target layer
  vec4 dx;       // xyz: one pixel to the right (mm, or direction offset for perspective);
                 // w: offset of the image centre from the view axis in pixels (asymmetric frustum)
  vec4 dy;       // xyz: one pixel down; w: as dx.w, vertically
};

layout(set = 0, binding = 0) uniform sampler3D uVolume;
layout(set = 0, binding = 1) uniform usampler3D uLabels;
layout(set = 0, binding = 2) uniform usampler3D uSkip;
layout(set = 0, binding = 3) uniform sampler1D uTransfer;
layout(set = 0, binding = 4, std140) uniform Frame {
  ViewData views[4];
  mat4 mmToIjk;      // patient mm -> continuous voxel index (voxel centres at integers)
  mat4 gradIjkToMm;  // index-space gradient -> LPS gradient (upper 3x3)
  vec4 dims;         // xyz: texture dims; w: empty-space brick edge in voxels
  vec4 valueMap;     // x, y: data = n * x + y; z, w: transfer coordinate = n * z + w
  vec4 window;       // x: window low (data); y: width; z: iso (normalised); w: 1 = integer data
  vec4 shading;      // ambient, diffuse, specular, shininess
  vec4 isoColor;     // rgb; w: 1 = shading on
  vec4 march;        // x: step mm; y: frame seed; z: 1 = jitter; w: label opacity (0 = hidden)
  vec4 gradient;     // x, y: packed gradient decode; z: max normalised value; w: min
  vec4 background;   // rgb
  vec4 clipBoxMin;   // xyz mm; w: 1 = clip box on
  vec4 clipBoxMax;   // xyz mm
  vec4 clipPlanes[6];  // xyz normal, w offset: keeps dot(n, p) <= w
  ivec4 counts;      // x: views; y: clip planes; z, w: tiles across and down
  ivec4 extent;      // x, y: image size; z: workgroups per interleave chunk
  vec4 texelCode;    // x, y: 16-bit texel code of a normalised value = n * x + y (MIP bounds)
} uFrame;
layout(set = 0, binding = 5, std140) uniform Labels { LabelColorTable table; } uLabelColors;
layout(set = 0, binding = 6, rgba8) uniform writeonly image2DArray uColor;
layout(set = 0, binding = 7, r32f) uniform writeonly image2DArray uDepth;

// Entry and exit t of the ray o + t d through the box [lo, hi].
vec2 slab(vec3 o, vec3 d, vec3 lo, vec3 hi) {
  vec3 safe = mix(d, vec3(1e-12), lessThan(abs(d), vec3(1e-12)));
  vec3 inv = 1.0 / safe;
  vec3 t0 = (lo - o) * inv;
  vec3 t1 = (hi - o) * inv;
  vec3 tmin = min(t0, t1);
  vec3 tmax = max(t0, t1);
  return vec2(max(max(tmin.x, tmin.y), tmin.z), min(min(tmax.x, tmax.y), tmax.z));
}

float jitterHash(uvec3 v) {
  v = v * 1664525u + 1013904223u;
  v.x += v.y * v.z;
  v.y += v.z * v.x;
  v.z += v.x * v.y;
  v ^= v >> 16u;
  v.x += v.y * v.z;
  return float(v.x & 0xffffffu) / 16777216.0;
}

vec3 computeGradient(vec3 tc, vec3 invDims) {
  vec3 g;
  g.x = texture(uVolume, tc + vec3(invDims.x, 0, 0)).r - texture(uVolume, tc - vec3(invDims.x, 0, 0)).r;
  g.y = texture(uVolume, tc + vec3(0, invDims.y, 0)).r - texture(uVolume, tc - vec3(0, invDims.y, 0)).r;
  g.z = texture(uVolume, tc + vec3(0, 0, invDims.z)).r - texture(uVolume, tc - vec3(0, 0, invDims.z)).r;
  return mat3(uFrame.gradIjkToMm) * g;
}

vec3 labelNormal(ivec3 p, uint label, ivec3 dims) {
  vec3 g;
  g.x = float(labelAt(uLabels, p + ivec3(1, 0, 0), dims) == label) - float(labelAt(uLabels, p - ivec3(1, 0, 0), dims) == label);
  g.y = float(labelAt(uLabels, p + ivec3(0, 1, 0), dims) == label) - float(labelAt(uLabels, p - ivec3(0, 1, 0), dims) == label);
  g.z = float(labelAt(uLabels, p + ivec3(0, 0, 1), dims) == label) - float(labelAt(uLabels, p - ivec3(0, 0, 1), dims) == label);
  return mat3(uFrame.gradIjkToMm) * g;
}

// Two-sided Blinn-Phong with a headlight (light along the ray: the half vector is the ray).
vec3 shade(vec3 base, vec3 g, vec3 dir) {
  if (uFrame.isoColor.w < 0.5) return base;
  float len = length(g);
  if (len < 1e-6) return base * (uFrame.shading.x + uFrame.shading.y);
  float ndl = abs(dot(g / len, dir));
  float spec = pow(ndl, uFrame.shading.w);
  return base * (uFrame.shading.x + uFrame.shading.y * ndl) + vec3(uFrame.shading.z * spec);
}

void main() {
  uint tilesX = uint(uFrame.counts.z);
  uint tilesPerView = tilesX * uint(uFrame.counts.w);
  uint chunk = uint(uFrame.extent.z);
  uint g = gl_WorkGroupID.x;
  uint tile = (g % chunk) * kInterleave + g / chunk;
  if (tile >= tilesPerView * uint(uFrame.counts.x)) return;
  uint viewIndex = tile / tilesPerView;
  uint r = tile % tilesPerView;
  ivec2 pixel = ivec2((r % tilesX) * 8u + gl_LocalInvocationID.x, (r / tilesX) * 8u + gl_LocalInvocationID.y);
  if (pixel.x >= uFrame.extent.x || pixel.y >= uFrame.extent.y) return;

  ViewData view = uFrame.views[viewIndex];
  ivec3 outPos = ivec3(pixel, int(view.forward.w));
  vec2 pc = vec2(pixel) + 0.5 - 0.5 * vec2(uFrame.extent.xy) + vec2(view.dx.w, view.dy.w);
  vec3 offs = pc.x * view.dx.xyz + pc.y * view.dy.xyz;
  bool ortho = view.eye.w > 0.5;
  vec3 originMm = ortho ? view.eye.xyz + offs : view.eye.xyz;
  vec3 dirMm = ortho ? view.forward.xyz : normalize(view.forward.xyz + offs);
  vec3 o = (uFrame.mmToIjk * vec4(originMm, 1.0)).xyz;
  vec3 d = mat3(uFrame.mmToIjk) * dirMm;
  vec3 dims = uFrame.dims.xyz;
  ivec3 dimsI = ivec3(dims);

  vec2 span = slab(o, d, vec3(-0.5), dims - 0.5);
  if (uFrame.clipBoxMin.w > 0.5) {
    vec2 b = slab(originMm, dirMm, uFrame.clipBoxMin.xyz, uFrame.clipBoxMax.xyz);
    span = vec2(max(span.x, b.x), min(span.y, b.y));
  }
  for (int i = 0; i < uFrame.counts.y; ++i) {
    vec4 plane = uFrame.clipPlanes[i];
    float nd = dot(plane.xyz, dirMm);
    float no = dot(plane.xyz, originMm) - plane.w;
    if (abs(nd) < 1e-8) {
      if (no > 0.0) span.y = -1e30;
    } else if (nd > 0.0) {
      span.y = min(span.y, -no / nd);
    } else {
      span.x = max(span.x, -no / nd);
    }
  }
  if (!ortho) span.x = max(span.x, 0.0);

  vec3 background = uFrame.background.rgb;
  if (!(span.x < span.y)) {
    imageStore(uColor, outPos, vec4(background, 1.0));
    imageStore(uDepth, outPos, vec4(kNoDepth));
    return;
  }

  float stepMm = uFrame.march.x;
  float t = span.x;
  bool projection = kMode == kMip || kMode == kMinIp;
  if (!projection && uFrame.march.z > 0.5)
    t += jitterHash(uvec3(pixel, uint(uFrame.march.y) * 4u + viewIndex)) * stepMm;

  vec3 invDims = 1.0 / dims;
  float brick = uFrame.dims.w;
  ivec3 skipMax = textureSize(uSkip, 0) - 1;
  vec4 acc = vec4(0.0);
  float hitT = -1.0;
  float best = kMode == kMip ? -2.0 : 2.0;
  uint prevLabel = 0u;
  bool first = true;
  bool isoHit = false;
  bool showLabels = kLabels && uFrame.march.w > 0.0;
  // Guards against a degenerate step; a normal ray ends by t > span.y long before.
  int budget = int(min((span.y - t) / stepMm, 1.0e6)) + 2;

  // The skip map is read once per brick: samples up to tBrick lie in the brick last classified.
  float tBrick = -3.0e38;
  float brickMaxCode = 65536.0;  // MIP: texel code of the brick's maximum
  for (int iter = 0; iter < budget && t <= span.y; ++iter) {
    vec3 p = o + t * d;
    if (kSkipEmpty && t > tBrick) {
      ivec3 b = clamp(ivec3(floor(p / brick)), ivec3(0), skipMax);
      uvec2 cell = texelFetch(uSkip, b, 0).rg;
      int dist = int(cell.r);
      if (dist > 0) {
        // Every brick within Chebyshev distance dist-1 is empty: leap to the exit of that cube,
        // staying on the step grid (MIP stays exact, DVR keeps its jitter pattern).
        float tExit = slab(o, d, vec3(b - dist + 1) * brick, vec3(b + dist) * brick).y;
        t += max(1.0, ceil((tExit - t) / stepMm)) * stepMm;
        first = false;
        continue;
      }
      tBrick = slab(o, d, vec3(b) * brick, vec3(b + 1) * brick).y;
      brickMaxCode = float(cell.g);
    }
    if (kSkipEmpty && kMode == kMip && best * uFrame.texelCode.x + uFrame.texelCode.y > brickMaxCode - 0.25) {
      // No voxel a sample in this brick reads exceeds the ray's maximum: leap to the brick exit.
      t += max(1.0, ceil((tBrick - t) / stepMm)) * stepMm;
      first = false;
      continue;
    }
    if (projection) {
      // Nearest voxel: the projection reports values that exist (and matches a CPU MIP exactly).
      float n = texelFetch(uVolume, clamp(ivec3(floor(p + 0.5)), ivec3(0), dimsI - 1), 0).r;
      if (kMode == kMip ? n > best : n < best) {
        best = n;
        hitT = t;
        if (kMode == kMip ? n >= uFrame.gradient.z : n <= uFrame.gradient.w) break;
      }
      t += stepMm;
      continue;
    }
    vec3 tc = (p + 0.5) * invDims;
    if (showLabels) {
      ivec3 ip = clamp(ivec3(floor(p + 0.5)), ivec3(0), dimsI - 1);
      uint label = texelFetch(uLabels, ip, 0).r;
      if (label != prevLabel) {
        prevLabel = label;
        vec4 lc = uLabelColors.table.colors[label];
        if (lc.a > 0.0) {
          vec3 c = shade(lc.rgb, labelNormal(ip, label, dimsI), dirMm);
          float a = lc.a * uFrame.march.w;
          acc.rgb += (1.0 - acc.a) * a * c;
          acc.a += (1.0 - acc.a) * a;
          if (hitT < 0.0 && acc.a > 0.5) hitT = t;
          if (acc.a > 0.99) break;
        }
      }
    }
    if (kMode == kDvr) {
      vec4 s = texture(uVolume, tc);
      vec4 c = texture(uTransfer, s.r * uFrame.valueMap.z + uFrame.valueMap.w);
      if (c.a > 1e-4) {
        vec3 grad = kPackedGradient ? s.gba * uFrame.gradient.x + uFrame.gradient.y
                                    : computeGradient(tc, invDims);
        vec3 shaded = shade(c.rgb, grad, dirMm);
        acc.rgb += (1.0 - acc.a) * c.a * shaded;
        acc.a += (1.0 - acc.a) * c.a;
        if (hitT < 0.0 && acc.a > 0.5) hitT = t;
        if (acc.a > 0.99) break;
      }
    } else if (kMode == kIso) {
      // The surface is refined and shaded after the loop: there every lane of a SIMD group does
      // it at once, where inside the loop the group would repeat it for each lane's own hit.
      if (texture(uVolume, tc).r >= uFrame.window.z) {
        isoHit = true;
        break;
      }
    }
    first = false;
    t += stepMm;
  }

  if (kMode == kIso && isoHit) {
    float tHit = t;
    if (!first) {
      // Bisection between the last sample below the surface and this one.
      float lo = t - stepMm, hi = t;
      for (int k = 0; k < 5; ++k) {
        float mid = 0.5 * (lo + hi);
        if (texture(uVolume, (o + mid * d + 0.5) * invDims).r >= uFrame.window.z) hi = mid; else lo = mid;
      }
      tHit = hi;
    }
    vec3 th = (o + tHit * d + 0.5) * invDims;
    vec3 grad = kPackedGradient ? texture(uVolume, th).gba * uFrame.gradient.x + uFrame.gradient.y
                                : computeGradient(th, invDims);
    vec3 c = shade(uFrame.isoColor.rgb, grad, dirMm);
    acc.rgb += (1.0 - acc.a) * c;
    acc.a = 1.0;
    if (hitT < 0.0) hitT = tHit;
  }

  vec4 color;
  if (projection) {
    // A ray whose samples were all skipped saw only values outside the window.
    if (hitT < 0.0) best = kMode == kMip ? uFrame.gradient.w : uFrame.gradient.z;
    color = vec4(vec3(windowGrey(best, uFrame.valueMap, uFrame.window) / 255.0), 1.0);
  } else {
    color = vec4(acc.rgb + (1.0 - acc.a) * background, 1.0);
  }
  float depth = hitT < 0.0 ? kNoDepth : hitT * dot(dirMm, view.forward.xyz);
  imageStore(uColor, outPos, color);
  imageStore(uDepth, outPos, vec4(depth));
}
