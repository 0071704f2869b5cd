# The browser build's dependencies. Debian ships no WebAssembly builds, so:
#  - header-only libraries (nlohmann-json, CLI11, stb) come from their
#    Debian -dev packages, through a folder of links to just those headers
#    (the rest of /usr/include is for the host and must stay out of sight);
#  - Dear ImGui 1.86, md4c and giflib are compiled from Debian's own source
#    packages, which scripts/web fetches and unpacks into
#    CONVLAB_WEB_SOURCES (build-web/sources/) with `apt-get source`.
# Each gets the target name the desktop build's find_package gives it, so the
# subdirectories link the same names on both platforms.

set(CONVLAB_WEB_SOURCES "" CACHE PATH "Unpacked Debian source packages: imgui-1.86/, md4c-*/, giflib-*/")
if(NOT IS_DIRECTORY "${CONVLAB_WEB_SOURCES}/imgui-1.86")
  message(FATAL_ERROR "CONVLAB_WEB_SOURCES (${CONVLAB_WEB_SOURCES}) holds no imgui-1.86/: "
                      "build the site with scripts/web, which fetches Debian's source packages first")
endif()
file(GLOB md4c_dir LIST_DIRECTORIES true "${CONVLAB_WEB_SOURCES}/md4c-*")
file(GLOB giflib_dir LIST_DIRECTORIES true "${CONVLAB_WEB_SOURCES}/giflib-*")
if(NOT md4c_dir OR NOT giflib_dir)
  message(FATAL_ERROR "CONVLAB_WEB_SOURCES (${CONVLAB_WEB_SOURCES}) lacks md4c-*/ or giflib-*/: run scripts/web")
endif()

# -- header-only libraries, from the host's Debian packages -----------------
set(web_headers ${CMAKE_BINARY_DIR}/host-headers)
file(MAKE_DIRECTORY ${web_headers})
foreach(link IN ITEMS "nlohmann=/usr/include/nlohmann" "CLI=/usr/include/CLI" "stb=/usr/include/stb")
  string(REGEX MATCH "^([^=]+)=(.*)$" unused "${link}")
  if(NOT EXISTS "${CMAKE_MATCH_2}")
    message(FATAL_ERROR "${CMAKE_MATCH_2} is missing: install nlohmann-json3-dev, libcli11-dev, libstb-dev")
  endif()
  file(CREATE_LINK "${CMAKE_MATCH_2}" "${web_headers}/${CMAKE_MATCH_1}" SYMBOLIC)
endforeach()
include(${CMAKE_CURRENT_LIST_DIR}/header_only.cmake)
convlab_header_only_targets(${web_headers} ${web_headers})
set(STB_INCLUDE_DIRS ${web_headers}/stb)

# -- compiled from Debian's source packages ---------------------------------
# Third-party C and C++: built as their authors wrote them, warnings off.
set(imgui_dir ${CONVLAB_WEB_SOURCES}/imgui-1.86)
add_library(web_imgui STATIC ${imgui_dir}/imgui.cpp ${imgui_dir}/imgui_draw.cpp ${imgui_dir}/imgui_tables.cpp
                             ${imgui_dir}/imgui_widgets.cpp ${imgui_dir}/backends/imgui_impl_glfw.cpp
                             ${imgui_dir}/backends/imgui_impl_opengl3.cpp ${imgui_dir}/misc/cpp/imgui_stdlib.cpp)
target_include_directories(web_imgui SYSTEM PUBLIC ${imgui_dir} ${imgui_dir}/backends ${imgui_dir}/misc/cpp)
target_compile_options(web_imgui PRIVATE -w)
add_library(convlab_imgui INTERFACE)
target_link_libraries(convlab_imgui INTERFACE web_imgui)

add_library(web_md4c STATIC ${md4c_dir}/src/md4c.c)
target_include_directories(web_md4c SYSTEM PUBLIC ${md4c_dir}/src)
target_compile_options(web_md4c PRIVATE -w)
add_library(PkgConfig::MD4C ALIAS web_md4c)

add_library(web_giflib STATIC ${giflib_dir}/dgif_lib.c ${giflib_dir}/egif_lib.c ${giflib_dir}/gifalloc.c
                              ${giflib_dir}/gif_err.c ${giflib_dir}/gif_hash.c ${giflib_dir}/openbsd-reallocarray.c
                              ${giflib_dir}/quantize.c)
target_include_directories(web_giflib SYSTEM PUBLIC ${giflib_dir})
target_compile_options(web_giflib PRIVATE -w)
add_library(GIF::GIF ALIAS web_giflib)
