#include "gpu/driver_lifetime.h"

#if defined(__SANITIZE_ADDRESS__)
#include <dlfcn.h>
#include <link.h>

#include <string>
#include <vector>
#endif

namespace convlab::gpu {

void keep_gl_driver_loaded() {
#if defined(__SANITIZE_ADDRESS__)
  std::vector<std::string> drivers;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* found) {
        const std::string name = info->dlpi_name != nullptr ? info->dlpi_name : "";
        if (name.find("/dri/") != std::string::npos && name.ends_with("_dri.so"))
          static_cast<std::vector<std::string>*>(found)->push_back(name);
        return 0;
      },
      &drivers);
  for (const std::string& driver : drivers)  // outside the iteration: it holds the loader's lock
    (void)dlopen(driver.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
#endif
}

}  // namespace convlab::gpu
