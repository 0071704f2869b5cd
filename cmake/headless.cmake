# The headless build's dependencies (CONVLAB_HEADLESS; scripts/bench-gpu builds
# it on GPU machines that have no apt). Everything is found by path, not by
# package config files or pkg-config, so a folder of unpacked Debian packages
# on CMAKE_PREFIX_PATH serves as well as the system, and pkg-config itself is
# not needed. Each missing file is named with the Debian package that has it.
# The targets get the names the desktop build's find_package gives them, so
# the subdirectories link the same names in every build.
find_package(Threads REQUIRED)

# The same files scripts/bench_gpu_deps.sh checks for before it runs CMake.
function(convlab_headless_header var header package)
  find_path(${var} ${header})
  if(NOT ${var})
    message(FATAL_ERROR "CONVLAB_HEADLESS: ${header} not found; it is in the Debian package ${package} "
                        "(scripts/bench-gpu --debs DIR takes it from a folder of .deb files)")
  endif()
endfunction()

convlab_headless_header(CONVLAB_JSON_INCLUDE_DIR nlohmann/json.hpp nlohmann-json3-dev)
convlab_headless_header(CONVLAB_CLI11_INCLUDE_DIR CLI/CLI.hpp libcli11-dev)
# Debian's layouts: the code includes <stb_image.h> and <Eigen/Core>.
convlab_headless_header(CONVLAB_STB_ROOT stb/stb_image.h libstb-dev)
set(STB_INCLUDE_DIRS ${CONVLAB_STB_ROOT}/stb)
convlab_headless_header(CONVLAB_EIGEN_ROOT eigen3/Eigen/Core libeigen3-dev)
set(EIGEN3_INCLUDE_DIR ${CONVLAB_EIGEN_ROOT}/eigen3)
convlab_headless_header(EPOXY_INCLUDE_DIR epoxy/egl.h libepoxy-dev)
# epoxy/egl.h includes <EGL/eglplatform.h>, which includes <KHR/khrplatform.h>.
convlab_headless_header(CONVLAB_EGL_INCLUDE_DIR EGL/eglplatform.h libegl-dev)
convlab_headless_header(CONVLAB_KHR_INCLUDE_DIR KHR/khrplatform.h libgl-dev)
find_library(EPOXY_LIBRARY epoxy)
if(NOT EPOXY_LIBRARY)
  message(FATAL_ERROR "CONVLAB_HEADLESS: libepoxy.so not found; it is in the Debian packages libepoxy-dev "
                      "and libepoxy0 (scripts/bench-gpu --debs DIR takes them from a folder of .deb files)")
endif()

include(${CMAKE_CURRENT_LIST_DIR}/header_only.cmake)
convlab_header_only_targets(${CONVLAB_JSON_INCLUDE_DIR} ${CONVLAB_CLI11_INCLUDE_DIR})
add_library(headless_epoxy INTERFACE)
target_include_directories(headless_epoxy SYSTEM INTERFACE ${EPOXY_INCLUDE_DIR} ${CONVLAB_EGL_INCLUDE_DIR}
                                                           ${CONVLAB_KHR_INCLUDE_DIR})
target_link_libraries(headless_epoxy INTERFACE ${EPOXY_LIBRARY})
add_library(PkgConfig::EPOXY ALIAS headless_epoxy)
