#version 460
// The XR scene's world-space panel: a quad textured with the ImGui panel, drawn over the
// raymarched views (and FrameParams' overlays, which draw everything else) in the same
// patient-space cameras. Each pixel intersects the quad analytically; the part behind the
// volume's depth is drawn faint (x-ray), as the overlays are.

layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;

struct ViewData {
  vec4 eye;      // xyz: eye (mm); w unused (always perspective)
  vec4 forward;  // xyz: unit view axis; w: target layer
  vec4 dx;       // xyz: one pixel right; w: image-centre offset in pixels
  vec4 dy;       // xyz: one pixel down; w: as dx.w
};

layout(set = 0, binding = 0, std140) uniform Panel {
  ViewData views[4];
  vec4 centre;      // xyz: the quad's centre (mm)
  vec4 halfWidth;   // xyz: centre to right edge (texture u)
  vec4 halfHeight;  // xyz: centre to bottom edge (texture v)
  vec4 color;       // multiplies the texture
  ivec4 counts;     // x: views, z, w: image size
  vec4 style;       // x: opacity of occluded parts
} uPanel;
layout(set = 0, binding = 1, rgba8) uniform image2DArray uColor;
layout(set = 0, binding = 2, r32f) uniform readonly image2DArray uDepth;
layout(set = 0, binding = 3) uniform sampler2DArray uTexture;  // one layer (Image views 2D images as arrays)

void main() {
  ivec2 size = uPanel.counts.zw;
  ivec2 pixel = ivec2(gl_GlobalInvocationID.xy);
  int viewIndex = int(gl_GlobalInvocationID.z);
  if (pixel.x >= size.x || pixel.y >= size.y || viewIndex >= uPanel.counts.x) return;
  ViewData view = uPanel.views[viewIndex];
  ivec3 at = ivec3(pixel, int(view.forward.w));
  vec2 pc = vec2(pixel) + 0.5 - 0.5 * vec2(size) + vec2(view.dx.w, view.dy.w);
  vec3 o = view.eye.xyz;
  vec3 d = normalize(view.forward.xyz + pc.x * view.dx.xyz + pc.y * view.dy.xyz);

  vec3 u = uPanel.halfWidth.xyz, v = uPanel.halfHeight.xyz;
  vec3 nrm = cross(u, v);
  float nd = dot(nrm, d);
  if (abs(nd) <= 1e-12) return;
  float t = dot(uPanel.centre.xyz - o, nrm) / nd;
  vec3 q = o + t * d - uPanel.centre.xyz;
  float su = dot(q, u) / dot(u, u), sv = dot(q, v) / dot(v, v);
  if (t <= 0.0 || abs(su) > 1.0 || abs(sv) > 1.0) return;
  vec4 col = uPanel.color * texture(uTexture, vec3(vec2(su, sv) * 0.5 + 0.5, 0.0));
  if (t * dot(d, view.forward.xyz) > imageLoad(uDepth, at).r) col.a *= uPanel.style.x;
  vec3 rgb = imageLoad(uColor, at).rgb;
  imageStore(uColor, at, vec4(mix(rgb, col.rgb, col.a), 1.0));
}
