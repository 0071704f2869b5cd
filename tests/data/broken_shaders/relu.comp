#version 430
// A deliberately broken shader for the compile-error test: line 9 uses an
// undeclared name.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { float y[]; };
uniform int total;
void main() {
  y[0] = undeclared_name;
}
