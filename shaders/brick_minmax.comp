#version 450
// Min/max of the normalised intensity per brick of the volume texture: the coarse grid the
// raymarcher's empty-space skipping is rebuilt from when the transfer function changes.
// One workgroup per brick; each invocation reduces a column of the brick.

layout(local_size_x = 8, local_size_y = 8, local_size_z = 1) in;

layout(set = 0, binding = 0) uniform sampler3D uVolume;
layout(set = 0, binding = 1, std430) writeonly buffer BrickRange { vec2 ranges[]; } uOut;

layout(push_constant) uniform Params {
  ivec3 volumeDims;
  int brickSize;
  ivec3 brickDims;
} uParams;

shared vec2 sRange[64];

void main() {
  ivec3 brick = ivec3(gl_WorkGroupID);
  ivec3 base = brick * uParams.brickSize;
  vec2 range = vec2(1e30, -1e30);
  // One voxel of overlap on the high side: trilinear samples near a brick face read it.
  int extent = uParams.brickSize + 1;
  for (int z = 0; z < extent; ++z) {
    for (int y = int(gl_LocalInvocationID.y); y < extent; y += 8) {
      for (int x = int(gl_LocalInvocationID.x); x < extent; x += 8) {
        ivec3 p = min(base + ivec3(x, y, z), uParams.volumeDims - 1);
        float v = texelFetch(uVolume, p, 0).r;
        range = vec2(min(range.x, v), max(range.y, v));
      }
    }
  }
  uint lane = gl_LocalInvocationIndex;
  sRange[lane] = range;
  barrier();
  for (uint stride = 32u; stride > 0u; stride >>= 1u) {
    if (lane < stride) {
      vec2 o = sRange[lane + stride];
      sRange[lane] = vec2(min(sRange[lane].x, o.x), max(sRange[lane].y, o.y));
    }
    barrier();
  }
  if (lane == 0u) {
    int index = brick.x + uParams.brickDims.x * (brick.y + uParams.brickDims.y * brick.z);
    uOut.ranges[index] = sRange[0];
  }
}
