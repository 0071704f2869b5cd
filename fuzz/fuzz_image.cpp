// Photos through ConvLab's own loader and its size limits: an image or an
// error, never a crash; a decoded image's pixels match its size.
#include "core/io/image_io.h"
#include "fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto image = convlab::decode_image(data, size, "fuzz.png");
  if (image.ok())
    FUZZ_REQUIRE(image->pixels.size() ==
                 static_cast<size_t>(image->width) * static_cast<size_t>(image->height) * 3);
  else
    FUZZ_REQUIRE(!image.message().empty());
  return 0;
}
