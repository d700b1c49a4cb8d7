#version 460
// MPR slices: each pixel shows the volume at a point of its view's plane through
// window/level, with labels filled and outlined. One workgroup layer (z) per slice view.
#extension GL_GOOGLE_include_directive : require
#include "render_common.glsl"

layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;
layout(constant_id = 0) const bool kLabels = false;

struct SliceData {
  vec4 origin;  // xyz: centre of the top-left pixel (mm); w: target layer
  vec4 du;      // xyz: one pixel to the right (mm)
  vec4 dv;      // xyz: one pixel down (mm)
};

layout(set = 0, binding = 0) uniform sampler3D uVolume;
layout(set = 0, binding = 1) uniform usampler3D uLabels;
layout(set = 0, binding = 2, std140) uniform SliceFrame {
  SliceData views[4];
  mat4 mmToIjk;     // patient mm -> continuous voxel index
  vec4 dims;        // xyz: texture dims
  vec4 valueMap;    // x, y: data = n * x + y
  vec4 window;      // x: window low (data); y: width; w: 1 = integer data
  vec4 labels;      // x: fill opacity; y: outline opacity; z: 1 = linear; w: 1 = labels shown
  vec4 background;  // rgb outside the volume
  ivec4 counts;     // x: views; y, z: image size
} uSlice;
layout(set = 0, binding = 3, std140) uniform Labels { LabelColorTable table; } uLabelColors;
layout(set = 0, binding = 4, rgba8) uniform writeonly image2DArray uColor;
layout(set = 0, binding = 5, r32f) uniform writeonly image2DArray uDepth;

uint labelNear(vec3 p, ivec3 dims) { return labelAt(uLabels, ivec3(floor(p + 0.5)), dims); }

void main() {
  ivec2 pixel = ivec2(gl_GlobalInvocationID.xy);
  if (pixel.x >= uSlice.counts.y || pixel.y >= uSlice.counts.z) return;
  SliceData view = uSlice.views[gl_WorkGroupID.z];
  ivec3 outPos = ivec3(pixel, int(view.origin.w));
  vec3 pm = view.origin.xyz + float(pixel.x) * view.du.xyz + float(pixel.y) * view.dv.xyz;
  vec3 p = (uSlice.mmToIjk * vec4(pm, 1.0)).xyz;
  vec3 dims = uSlice.dims.xyz;
  ivec3 dimsI = ivec3(dims);
  imageStore(uDepth, outPos, vec4(0.0));
  if (any(lessThan(p, vec3(-0.5))) || any(greaterThan(p, dims - 0.5))) {
    imageStore(uColor, outPos, vec4(uSlice.background.rgb, 1.0));
    return;
  }
  float n = uSlice.labels.z > 0.5
                ? texture(uVolume, (p + 0.5) / dims).r
                : texelFetch(uVolume, clamp(ivec3(floor(p + 0.5)), ivec3(0), dimsI - 1), 0).r;
  vec3 c = vec3(windowGrey(n, uSlice.valueMap, uSlice.window) / 255.0);
  if (kLabels && uSlice.labels.w > 0.5) {
    uint label = labelNear(p, dimsI);
    vec4 lc = uLabelColors.table.colors[label];
    if (label != 0u && lc.a > 0.0) {
      vec3 du = mat3(uSlice.mmToIjk) * view.du.xyz;
      vec3 dv = mat3(uSlice.mmToIjk) * view.dv.xyz;
      bool edge = labelNear(p + du, dimsI) != label || labelNear(p - du, dimsI) != label ||
                  labelNear(p + dv, dimsI) != label || labelNear(p - dv, dimsI) != label;
      float a = lc.a * (edge ? uSlice.labels.y : uSlice.labels.x);
      c = mix(c, lc.rgb, a);
    }
  }
  imageStore(uColor, outPos, vec4(c, 1.0));
}
