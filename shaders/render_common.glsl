// Shared by raymarch.comp and slice.comp: label colours, value decoding, window/level.

// Per label id: rgb, and opacity (0 for hidden labels and for id 0).
struct LabelColorTable {
  vec4 colors[256];
};

// Grey level 0..255 (integer-valued) of a normalised texture value n through window/level.
// valueMap: data = n * x + y; window: x = lowest data value of the window, y = width,
// w = 1 when the data are integers (rounding undoes the 16-bit normalisation exactly).
// The arithmetic order is part of the contract: the CPU reference in the tests repeats it.
float windowGrey(float n, vec4 valueMap, vec4 window) {
  float v = n * valueMap.x + valueMap.y;
  if (window.w > 0.5) v = round(v);
  return clamp(floor((v - window.x) * 255.0 / window.y + 0.5), 0.0, 255.0);
}

uint labelAt(usampler3D labels, ivec3 p, ivec3 dims) {
  if (any(lessThan(p, ivec3(0))) || any(greaterThanEqual(p, dims))) return 0u;
  return texelFetch(labels, p, 0).r;
}
