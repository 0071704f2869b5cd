// Gives the app (app/model_opener.h) the ONNX reader, which the browser build lacks.
#pragma once

namespace convlab::cli {
void install_app_model_opener();
}  // namespace convlab::cli
