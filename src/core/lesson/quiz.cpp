#include "core/lesson/quiz.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>

#include "core/base/conv_arithmetic.h"
#include "core/base/i18n.h"
#include "core/explore/setting_parse.h"
#include "core/model/classifier.h"
#include "core/model/graph.h"
#include "core/ops/pool.h"
#include "core/ops/reference.h"

namespace convlab::lesson {

namespace st = explore::setting_text;

namespace {

using Args = std::map<std::string, std::string>;

std::string number_text(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e15)
    return std::to_string(static_cast<int64_t>(std::llround(v)));
  std::ostringstream out;
  out.precision(6);
  out << v;
  return out.str();
}

QuizValue number(double v) { return QuizValue{false, v, {}}; }
QuizValue size(std::vector<int64_t> s) { return QuizValue{true, 0, std::move(s)}; }

// Reads "5x5", "5" (square), "3 x 3", "3×3", "32x128x128".
bool parse_size_text(std::string text, std::vector<int64_t>& out) {
  // "×" (UTF-8 C3 97) and 'X' read as 'x'; spaces dropped.
  std::string clean;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x97) {
      clean += 'x';
      ++i;
    } else if (c == 'X') {
      clean += 'x';
    } else if (c != ' ' && c != '\t') {
      clean += static_cast<char>(c);
    }
  }
  out.clear();
  for (const std::string& part : st::split(clean, 'x')) {
    int v = 0;
    if (!st::parse_int(part, v) || v < 0) return false;
    out.push_back(v);
  }
  if (out.size() == 1) out.push_back(out[0]);
  return out.size() == 2 || out.size() == 3;
}

class Reader {
 public:
  Reader(const std::string& function, Args args) : function_(function), args_(std::move(args)) {}

  bool has(const std::string& key) const { return args_.count(key) != 0; }
  Result<std::string> text(const std::string& key) const {
    used_.push_back(key);
    auto it = args_.find(key);
    if (it == args_.end()) return make_error(function_, ": needs ", key, "=...");
    return it->second;
  }
  Result<Size2d> size2(const std::string& key, std::optional<Size2d> fallback = std::nullopt) const {
    used_.push_back(key);
    auto it = args_.find(key);
    if (it == args_.end()) {
      if (fallback) return *fallback;
      return make_error(function_, ": needs ", key, "=HxW (or N for NxN)");
    }
    int h = 0, w = 0;
    if (!st::parse_size(it->second, h, w) || h < 1 || w < 1)
      return make_error(function_, ": ", key, "='", it->second, "' is not a size such as 5x5 or 5");
    return Size2d{h, w};
  }
  Result<int> integer(const std::string& key, std::optional<int> fallback = std::nullopt) const {
    used_.push_back(key);
    auto it = args_.find(key);
    if (it == args_.end()) {
      if (fallback) return *fallback;
      return make_error(function_, ": needs ", key, "=N");
    }
    int v = 0;
    if (!st::parse_int(it->second, v))
      return make_error(function_, ": ", key, "='", it->second, "' is not a whole number");
    return v;
  }
  Result<double> real(const std::string& key, std::optional<double> fallback = std::nullopt) const {
    used_.push_back(key);
    auto it = args_.find(key);
    if (it == args_.end()) {
      if (fallback) return *fallback;
      return make_error(function_, ": needs ", key, "=number");
    }
    double v = 0;
    if (!st::parse_double(it->second, v))
      return make_error(function_, ": ", key, "='", it->second, "' is not a number");
    return v;
  }
  // "1,2;3,4" -> (1, 1, rows, cols).
  Result<Tensor> matrix(const std::string& key) const {
    auto t = text(key);
    if (!t) return t.error();
    std::vector<float> values;
    int64_t rows = 0, cols = -1;
    for (const std::string& row : st::split(*t, ';')) {
      auto parsed = st::parse_values(key, row);
      if (!parsed) return with_context(function_ + ": ", parsed.error());
      if (cols >= 0 && static_cast<int64_t>(parsed->size()) != cols)
        return make_error(function_, ": ", key, ": every row needs ", cols, " values");
      cols = static_cast<int64_t>(parsed->size());
      values.insert(values.end(), parsed->begin(), parsed->end());
      ++rows;
    }
    if (rows == 0 || cols <= 0) return make_error(function_, ": ", key, " is empty");
    return *Tensor::from_data({1, 1, rows, cols}, values);
  }
  Result<std::vector<float>> list(const std::string& key) const {
    auto t = text(key);
    if (!t) return t.error();
    auto parsed = st::parse_values(key, *t);
    if (!parsed) return with_context(function_ + ": ", parsed.error());
    if (parsed->empty()) return make_error(function_, ": ", key, " is empty");
    return parsed;
  }
  // Keys given but never read: a typo.
  Status unused() const {
    for (const auto& [key, value] : args_)
      if (std::find(used_.begin(), used_.end(), key) == used_.end())
        return make_error(function_, ": unknown key '", key, "'");
    return {};
  }

 private:
  std::string function_;
  Args args_;
  mutable std::vector<std::string> used_;
};

// padding=valid|same|full|N|T,B,L,R for a conv of this input / kernel / stride / dilation.
Result<Padding2d> conv_padding(const Reader& r, Size2d input, Size2d kernel, int stride, int dilation) {
  if (!r.has("padding")) return Padding2d{};
  auto text = r.text("padding");
  auto preset = parse_padding_preset(*text);
  if (preset.ok()) return resolve_padding(*preset, input, kernel, stride, stride, dilation, dilation);
  const auto parts = st::split(*text, ',');
  std::vector<int> v;
  for (const std::string& p : parts) {
    int x = 0;
    if (!st::parse_int(p, x) || x < 0)
      return make_error("padding='", *text, "': valid, same, full, N or T,B,L,R");
    v.push_back(x);
  }
  if (v.size() == 1) return Padding2d{v[0], v[0], v[0], v[0]};
  if (v.size() == 4) return Padding2d{v[0], v[1], v[2], v[3]};
  return make_error("padding='", *text, "': valid, same, full, N or T,B,L,R");
}

// arch=advanced|basic (ECNN) or tinyvgg (the bundled classifier, as
// `convlab train --arch tinyvgg` builds it by default: 16 filters, 7 classes, 64x64).
Result<Graph> graph_of(const Reader& r) {
  std::string arch = "advanced";
  if (r.has("arch")) arch = *r.text("arch");
  if (arch == "tinyvgg") return tiny_vgg_graph(TinyVggOptions{});
  return Graph::builtin(arch);
}

// Every activation's shape for one input of h x w: ECNN's gray image, or a
// graph's own image input (a classifier's RGB).
Result<std::map<std::string, Shape>> shapes_for(const Graph& graph, int64_t h, int64_t w) {
  if (graph.inputs().empty() || graph.inputs()[0].name == "gray") return graph.infer_shapes(1, h, w);
  Shape shape = graph.inputs()[0].shape;
  if (shape.size() != 4) return make_error(graph.name(), "'s input is not an image");
  shape[0] = 1;
  shape[2] = h;
  shape[3] = w;
  return graph.infer_shapes(std::map<std::string, Shape>{{graph.inputs()[0].name, shape}});
}

// layer=NAME input=SIZE [arch=...]: that activation's shape for one image.
Result<Shape> activation_shape(const Reader& r, const char* function) {
  auto graph = graph_of(r);
  if (!graph) return graph.error();
  auto layer = r.text("layer");
  auto input = r.size2("input");
  if (!layer) return layer.error();
  if (!input) return input.error();
  auto shapes = shapes_for(*graph, input->h, input->w);
  if (!shapes) return shapes.error();
  auto it = shapes->find(*layer);
  if (it == shapes->end())
    return make_error(function, ": '", *layer, "' is not an activation of ", graph->name());
  return it->second;
}

// pool_output / pool_value's window: kernel (default 2), stride (default
// the kernel), padding N, dilation.
Result<PoolOptions> pool_of(const Reader& r) {
  auto kernel = r.size2("kernel", Size2d{2, 2});
  if (!kernel) return kernel.error();
  PoolOptions pool;
  pool.kernel = *kernel;
  auto stride = r.integer("stride", kernel->h);
  auto padding = r.integer("padding", 0);
  auto dilation = r.integer("dilation", 1);
  if (!stride) return stride.error();
  if (!padding) return padding.error();
  if (!dilation) return dilation.error();
  pool.params.window =
      Conv2dParams{*stride, *stride, Padding2d{*padding, *padding, *padding, *padding}, *dilation, *dilation};
  if (r.has("mode")) {
    const std::string mode = *r.text("mode");
    if (mode != "max" && mode != "average") return make_error("mode='", mode, "': max or average");
    pool.kind = mode == "max" ? PoolKind::Max : PoolKind::Average;
  }
  return pool;
}

Result<QuizValue> cell_of(const Reader& r, const Tensor& out) {
  auto at = r.text("at");
  if (!at) return at.error();
  int row = 0, col = 0;
  if (!st::parse_pair(*at, row, col)) return make_error("at='", *at, "' is row,col (1-based)");
  if (row < 1 || col < 1 || row > out.h() || col > out.w())
    return make_error("at=", *at, " is outside the ", out.h(), "x", out.w(), " output");
  return number(out.at(0, 0, row - 1, col - 1));
}

using Function = std::function<Result<QuizValue>(const Reader&)>;

const std::map<std::string, Function>& functions() {
  static const std::map<std::string, Function> table = {
      {"conv_output",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.size2("input");
         auto kernel = r.size2("kernel");
         if (!input) return input.error();
         if (!kernel) return kernel.error();
         const int stride = *r.integer("stride", 1), dilation = *r.integer("dilation", 1);
         auto padding = conv_padding(r, *input, *kernel, stride, dilation);
         if (!padding) return padding.error();
         auto out =
             conv2d_output_size(*input, *kernel, Conv2dParams{stride, stride, *padding, dilation, dilation});
         if (!out) return out.error();
         return size({out->h, out->w});
       }},
      {"tconv_output",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.size2("input");
         auto kernel = r.size2("kernel");
         if (!input) return input.error();
         if (!kernel) return kernel.error();
         const int s = *r.integer("stride", 1), p = *r.integer("padding", 0),
                   op = *r.integer("output_padding", 0), d = *r.integer("dilation", 1);
         auto out =
             conv_transpose2d_output_size(*input, *kernel, ConvTranspose2dParams{s, s, p, p, op, op, d, d});
         if (!out) return out.error();
         return size({out->h, out->w});
       }},
      {"padding_per_side",
       [](const Reader& r) -> Result<QuizValue> {
         auto preset = parse_padding_preset(*r.text("preset"));
         if (!preset) return preset.error();
         auto kernel = r.size2("kernel");
         if (!kernel) return kernel.error();
         const int d = *r.integer("dilation", 1);
         auto padding = resolve_padding(*preset, Size2d{64, 64}, *kernel, 1, 1, d, d);
         if (!padding) return padding.error();
         return number(padding->top);
       }},
      {"field_size",
       [](const Reader& r) -> Result<QuizValue> {
         auto kernel = r.size2("kernel");
         if (!kernel) return kernel.error();
         const int d = *r.integer("dilation", 1);
         return size({dilated_kernel_extent(kernel->h, d), dilated_kernel_extent(kernel->w, d)});
       }},
      {"kernel_weights",
       [](const Reader& r) -> Result<QuizValue> {
         auto kernel = r.size2("kernel");
         if (!kernel) return kernel.error();
         return number(static_cast<double>(kernel->h) * kernel->w * *r.integer("in_channels", 1) *
                       *r.integer("filters", 1));
       }},
      {"conv_parameters",
       [](const Reader& r) -> Result<QuizValue> {
         auto kernel = r.size2("kernel");
         auto in = r.integer("in_channels");
         auto filters = r.integer("filters");
         if (!kernel) return kernel.error();
         if (!in) return in.error();
         if (!filters) return filters.error();
         return number(static_cast<double>(kernel->h) * kernel->w * *in * *filters + *filters);
       }},
      {"conv_value",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.matrix("input");
         auto kernel = r.matrix("kernel");
         if (!input) return input.error();
         if (!kernel) return kernel.error();
         const int s = *r.integer("stride", 1), d = *r.integer("dilation", 1);
         auto padding =
             conv_padding(r, Size2d{static_cast<int>(input->h()), static_cast<int>(input->w())},
                          Size2d{static_cast<int>(kernel->h()), static_cast<int>(kernel->w())}, s, d);
         if (!padding) return padding.error();
         const Tensor bias =
             *Tensor::from_data({1}, std::vector<float>{static_cast<float>(*r.real("bias", 0.0))});
         auto out = reference::conv2d(*input, *kernel, &bias, Conv2dParams{s, s, *padding, d, d});
         if (!out) return out.error();
         return cell_of(r, *out);
       }},
      {"tconv_value",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.matrix("input");
         auto kernel = r.matrix("kernel");
         if (!input) return input.error();
         if (!kernel) return kernel.error();
         const int s = *r.integer("stride", 1), p = *r.integer("padding", 0);
         auto out = reference::conv_transpose2d(*input, *kernel, nullptr,
                                                ConvTranspose2dParams{s, s, p, p, 0, 0, 1, 1});
         if (!out) return out.error();
         return cell_of(r, *out);
       }},
      {"tconv_intermediates",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.size2("input");
         if (!input) return input.error();
         return number(static_cast<double>(input->h) * input->w);
       }},
      {"tconv_intermediate_size",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.size2("input");
         auto kernel = r.size2("kernel");
         if (!input) return input.error();
         if (!kernel) return kernel.error();
         return size({input->h + kernel->h - 1, input->w + kernel->w - 1});
       }},
      {"bn_normalize",
       [](const Reader& r) -> Result<QuizValue> {
         auto values = r.list("values");
         auto index = r.integer("index");
         if (!values) return values.error();
         if (!index) return index.error();
         if (*index < 1 || *index > static_cast<int>(values->size()))
           return make_error("bn_normalize: index=", *index, " is outside 1..", values->size());
         const auto n = static_cast<int64_t>(values->size());
         const Tensor x = *Tensor::from_data({n, 1, 1, 1}, *values);
         const Tensor gamma =
             *Tensor::from_data({1}, std::vector<float>{static_cast<float>(*r.real("gamma", 1.0))});
         const Tensor beta =
             *Tensor::from_data({1}, std::vector<float>{static_cast<float>(*r.real("beta", 0.0))});
         Tensor mean({1}), var({1}, 1.0f);
         reference::BatchNormParams params;
         params.training = true;
         params.eps = static_cast<float>(*r.real("eps", 1e-5));
         auto out = reference::batch_norm2d(x, gamma, beta, mean, var, params);
         if (!out) return out.error();
         return number((*out)[*index - 1]);
       }},
      {"mean",
       [](const Reader& r) -> Result<QuizValue> {
         auto values = r.list("values");
         if (!values) return values.error();
         double sum = 0;
         for (float v : *values) sum += v;
         return number(sum / static_cast<double>(values->size()));
       }},
      {"variance",
       [](const Reader& r) -> Result<QuizValue> {
         auto values = r.list("values");
         if (!values) return values.error();
         double sum = 0, sq = 0;
         for (float v : *values) sum += v;
         const double mean = sum / static_cast<double>(values->size());
         for (float v : *values) sq += (v - mean) * (v - mean);
         return number(sq / static_cast<double>(values->size()));
       }},
      {"layer_shape",
       [](const Reader& r) -> Result<QuizValue> {
         auto shape = activation_shape(r, "layer_shape");
         if (!shape) return shape.error();
         if (shape->size() != 4)
           return make_error("layer_shape: '", *r.text("layer"), "' is not image-shaped");
         return size({(*shape)[1], (*shape)[2], (*shape)[3]});
       }},
      {"layer_values",
       [](const Reader& r) -> Result<QuizValue> {
         auto shape = activation_shape(r, "layer_values");
         if (!shape) return shape.error();
         return number(static_cast<double>(shape_numel(*shape)));  // N = 1: one image's values
       }},
      {"pool_output",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.size2("input");
         if (!input) return input.error();
         auto pool = pool_of(r);
         if (!pool) return pool.error();
         auto out = pool2d_output_shape(Shape{1, 1, input->h, input->w}, *pool);
         if (!out) return out.error();
         return size({(*out)[2], (*out)[3]});
       }},
      {"pool_value",
       [](const Reader& r) -> Result<QuizValue> {
         auto input = r.matrix("input");
         if (!input) return input.error();
         auto pool = pool_of(r);
         if (!pool) return pool.error();
         auto out = reference::pool2d(*input, *pool);
         if (!out) return out.error();
         return cell_of(r, *out);
       }},
      {"softmax",
       [](const Reader& r) -> Result<QuizValue> {
         auto logits = r.list("logits");
         auto index = r.integer("index");
         if (!logits) return logits.error();
         if (!index) return index.error();
         if (*index < 1 || *index > static_cast<int>(logits->size()))
           return make_error("softmax: index=", *index, " is not 1 to ", logits->size());
         const float top = *std::max_element(logits->begin(), logits->end());
         double sum = 0;
         for (float v : *logits) sum += std::exp(static_cast<double>(v - top));
         return number(std::exp(static_cast<double>((*logits)[static_cast<size_t>(*index - 1)] - top)) / sum);
       }},
      {"linear_parameters",
       [](const Reader& r) -> Result<QuizValue> {
         auto inputs = r.integer("inputs");
         auto outputs = r.integer("outputs");
         if (!inputs) return inputs.error();
         if (!outputs) return outputs.error();
         return number(static_cast<double>(*inputs) * *outputs + *outputs);
       }},
      {"layer_channels",
       [](const Reader& r) -> Result<QuizValue> {
         auto graph = graph_of(r);
         if (!graph) return graph.error();
         auto layer = r.text("layer");
         if (!layer) return layer.error();
         const int64_t m = graph->inputs().empty() || graph->inputs()[0].name == "gray"
                               ? graph->size_multiple()
                               : graph->inputs()[0].shape.back();
         auto shapes = shapes_for(*graph, m, m);
         if (!shapes) return shapes.error();
         auto it = shapes->find(*layer);
         if (it == shapes->end() || it->second.size() != 4)
           return make_error("layer_channels: '", *layer, "' is not an activation of ", graph->name());
         return number(static_cast<double>(it->second[1]));
       }},
      {"model_parameters",
       [](const Reader& r) -> Result<QuizValue> {
         auto graph = graph_of(r);
         if (!graph) return graph.error();
         return number(static_cast<double>(graph->parameter_count()));
       }},
      {"categories",
       [](const Reader& r) -> Result<QuizValue> {
         auto graph = graph_of(r);
         if (!graph) return graph.error();
         return number(graph->categories());
       }},
      {"embedding_size",
       [](const Reader& r) -> Result<QuizValue> {
         auto graph = graph_of(r);
         if (!graph) return graph.error();
         return number(graph->emb_size());
       }},
  };
  return table;
}

std::string function_names() {
  std::string out;
  for (const auto& [name, f] : functions()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

bool same_value(const QuizValue& a, const QuizValue& b, double tolerance) {
  if (a.is_size != b.is_size) return false;
  if (a.is_size) return a.size == b.size;
  return std::fabs(a.number - b.number) <= tolerance * std::max(1.0, std::fabs(b.number));
}

// Whether `text` holds the value as a word ("9 weights", "64x64 (half)").
bool mentions(const std::string& text, const QuizValue& value) {
  std::string word;
  const auto check = [&]() {
    if (word.empty()) return false;
    QuizValue parsed;
    std::vector<int64_t> s;
    double v = 0;
    if (value.is_size && parse_size_text(word, s)) return s == value.size;
    if (!value.is_size && st::parse_double(word, v))
      return std::fabs(v - value.number) <= 1e-9 * std::max(1.0, std::fabs(v));
    return false;
  };
  for (size_t i = 0; i <= text.size(); ++i) {
    const char c = i < text.size() ? text[i] : ' ';
    const bool part = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                      static_cast<unsigned char>(c) >= 0x80;
    if (part) {
      word += c;
      continue;
    }
    while (!word.empty() && word.back() == '.') word.pop_back();  // a sentence's full stop
    if (check()) return true;
    word.clear();
  }
  return false;
}

}  // namespace

std::string QuizValue::text() const {
  if (!is_size) return number_text(number);
  std::string out;
  for (size_t i = 0; i < size.size(); ++i) {
    if (i) out += 'x';
    out += std::to_string(size[i]);
  }
  return out;
}

Result<QuizValue> compute_quiz_value(const std::string& compute) {
  std::istringstream in(compute);
  std::string function, token;
  in >> function;
  auto it = functions().find(function);
  if (it == functions().end())
    return make_error("compute: unknown function '", function, "'; valid: ", function_names());
  Args args;
  while (in >> token) {
    const size_t eq = token.find('=');
    if (eq == std::string::npos || eq == 0) return make_error("compute: '", token, "' is not key=value");
    args[token.substr(0, eq)] = token.substr(eq + 1);
  }
  Reader reader(function, args);
  auto value = it->second(reader);
  if (!value) return with_context("compute: ", value.error());
  CONVLAB_TRY(reader.unused());
  return value;
}

Result<QuizValue> parse_quiz_value(QuizType type, const std::string& text) {
  const std::string t = st::trim(text);
  if (type == QuizType::Size) {
    std::vector<int64_t> s;
    if (!parse_size_text(t, s)) return make_error("'", t, "' is not a size such as 3x3");
    return size(std::move(s));
  }
  double v = 0;
  std::string comma = t;
  std::replace(comma.begin(), comma.end(), ',', '.');  // "0,5" as Brazilian students write it
  if (!st::parse_double(comma, v)) return make_error("'", t, "' is not a number");
  return number(v);
}

Status check_quiz_answer(const Quiz& quiz) {
  auto computed = compute_quiz_value(quiz.compute);
  if (!computed) return computed.error();
  if (quiz.type == QuizType::Choice) {
    if (!mentions(quiz.answer, *computed))
      return make_error("the answer '", quiz.answer, "' does not say ", computed->text(), ", which '",
                        quiz.compute, "' computes");
    for (const std::string& choice : quiz.choices)
      if (choice != quiz.answer && mentions(choice, *computed) && !mentions(quiz.answer, *computed))
        return make_error("the choice '", choice, "' also says ", computed->text());
    return {};
  }
  auto stated = parse_quiz_value(quiz.type, quiz.answer);
  if (!stated) return with_context("answer: ", stated.error());
  if (quiz.type == QuizType::Size && !computed->is_size)
    return make_error("'", quiz.compute, "' computes a number (", computed->text(), "), not a size");
  if (quiz.type == QuizType::Number && computed->is_size)
    return make_error("'", quiz.compute, "' computes a size (", computed->text(), "), not a number");
  if (!same_value(*stated, *computed, quiz.tolerance))
    return make_error("the answer is ", quiz.answer, " but '", quiz.compute, "' computes ", computed->text());
  return {};
}

Grade grade_answer(const Quiz& quiz, const std::string& given) {
  Grade grade;
  if (quiz.type == QuizType::Choice) {
    grade.correct = st::trim(given) == quiz.answer;
  } else {
    auto value = parse_quiz_value(quiz.type, given);
    auto right = parse_quiz_value(quiz.type, quiz.answer);
    if (!value) {
      grade.message = quiz.type == QuizType::Size ? tr("Type a size, such as 3x3.") : tr("Type a number.");
      return grade;
    }
    grade.correct = right.ok() && same_value(*value, *right, quiz.tolerance);
  }
  // The explanation is the lesson's own text, in the lesson's language.
  grade.message = grade.correct ? format(tr("Right! %s"), quiz.explain.c_str())
                                : format(tr("Not quite: the answer is %s. %s"),
                                         i18n::display_text(quiz.answer).c_str(), quiz.explain.c_str());
  return grade;
}

}  // namespace convlab::lesson
