#version 430
// Feature-map thumbnails: channels [first, first + channels) of one batch
// item, each as a tile of the atlas image (layout: core/explore/atlas_layout.h),
// through a 256-entry colormap. One thread per atlas pixel; a tile pixel
// shows the activation cell (py * H / tile_h, px * W / tile_w): nearest, so
// enlarged cells stay crisp squares. Gaps are transparent.
//   diverging = 1: t = (v / max_abs + 1) / 2   (range[c].y holds max_abs)
//   diverging = 0: t = (v - lo) / (hi - lo)     (range[c] = (lo, hi))
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer Activation { float x[]; };
layout(std430, binding = 1) readonly buffer Ranges { vec2 range[]; };  // per shown channel
layout(std430, binding = 2) readonly buffer Colormap { uint lut[]; };  // 256 x RGBA8 (R in the low byte)
layout(rgba8, binding = 0) writeonly uniform image2D atlas;
uniform int H, W, first, channels, columns, tile_h, tile_w, gap, diverging;

void main() {
  const ivec2 p = ivec2(gl_GlobalInvocationID.xy);
  const ivec2 size = imageSize(atlas);
  if (p.x >= size.x || p.y >= size.y) return;
  const int column = p.x / (tile_w + gap), row = p.y / (tile_h + gap);
  const int tx = p.x - column * (tile_w + gap), ty = p.y - row * (tile_h + gap);
  const int shown = row * columns + column;
  if (tx >= tile_w || ty >= tile_h || column >= columns || shown >= channels) {
    imageStore(atlas, p, vec4(0.0));
    return;
  }
  const int sy = min(ty * H / tile_h, H - 1), sx = min(tx * W / tile_w, W - 1);
  const float v = x[(first + shown) * H * W + sy * W + sx];
  const vec2 r = range[shown];
  float t;
  if (diverging == 1) {
    t = r.y > 0.0 ? (v / r.y + 1.0) * 0.5 : 0.5;
  } else {
    t = r.y > r.x ? (v - r.x) / (r.y - r.x) : 0.0;
  }
  if (isnan(v)) t = 0.5;
  const uint c = lut[int(clamp(t, 0.0, 1.0) * 255.0 + 0.5)];
  imageStore(atlas, p, vec4(float(c & 0xFFu), float((c >> 8) & 0xFFu), float((c >> 16) & 0xFFu), 255.0) / 255.0);
}
