# nlohmann_json::nlohmann_json and CLI11::CLI11, the names find_package gives
# them on the desktop, as header-only targets over the folders given: for the
# browser build (cmake/web.cmake) and the headless one (cmake/headless.cmake),
# which find their headers themselves.
function(convlab_header_only_targets json_dir cli11_dir)
  add_library(nlohmann_json INTERFACE)
  target_include_directories(nlohmann_json SYSTEM INTERFACE ${json_dir})
  add_library(nlohmann_json::nlohmann_json ALIAS nlohmann_json)
  add_library(CLI11 INTERFACE)
  target_include_directories(CLI11 SYSTEM INTERFACE ${cli11_dir})
  add_library(CLI11::CLI11 ALIAS CLI11)
endfunction()
