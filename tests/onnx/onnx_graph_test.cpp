// core/onnx/onnx_graph.h: ONNX models built here, node by node, become
// graphs whose run gives the reference ops' numbers; external data, .pb
// and .npy files; and every kind of bad model refused with a message naming
// the file and what is wrong (the model then never half-loads).
#include "core/onnx/onnx_graph.h"

#include <doctest/doctest.h>
#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/io/npy.h"
#include "core/model/runner.h"
#include "core/ops/pool.h"
#include "core/ops/reference.h"
#include "core/ops/tensor_ops.h"
#include "test_support.h"

using namespace convlab;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A fresh folder, removed with what is in it.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("convlab_onnx_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Tensor ramp(const Shape& shape, float scale, float offset = 0.0f) {
  Tensor t(shape);
  for (int64_t i = 0; i < t.numel(); ++i) t[i] = std::sin(static_cast<float>(i) * 0.37f + offset) * scale;
  return t;
}

void set_tensor(onnx::TensorProto& proto, const std::string& name, const Tensor& t) {
  proto.set_name(name);
  proto.set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : t.shape()) proto.add_dims(d);
  proto.set_raw_data(
      std::string(reinterpret_cast<const char*>(t.data()), static_cast<size_t>(t.numel()) * 4));
}

void add_value(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>* list, const std::string& name,
               const Shape& shape, int type = onnx::TensorProto::FLOAT) {
  auto* v = list->Add();
  v->set_name(name);
  auto* tensor = v->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(type);
  auto* dims = tensor->mutable_shape();
  for (int64_t d : shape) dims->add_dim()->set_dim_value(d);
}

onnx::NodeProto* add_node(onnx::GraphProto* g, const std::string& op, std::vector<std::string> inputs,
                          const std::string& output) {
  auto* n = g->add_node();
  n->set_op_type(op);
  n->set_name(output + "_node");
  for (const auto& i : inputs) n->add_input(i);
  n->add_output(output);
  return n;
}

void attr_ints(onnx::NodeProto* n, const std::string& name, std::vector<int64_t> values) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}
void attr_int(onnx::NodeProto* n, const std::string& name, int64_t value) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

// A small classifier: Conv 3->4 3x3 /1 p1 + bias, Relu, MaxPool 2x2 /2,
// Flatten, Gemm (transB) to 5, Softmax. Weights are deterministic ramps.
struct Classifier {
  Tensor w = ramp({4, 3, 3, 3}, 0.3f), b = ramp({4}, 0.1f, 1.0f), fc = ramp({5, 64}, 0.2f, 2.0f),
         fc_b = ramp({5}, 0.05f, 3.0f);
  onnx::ModelProto model;
  Classifier(int64_t opset = 13) {
    model.set_ir_version(8);
    model.set_producer_name("convlab-test");
    auto* op = model.add_opset_import();
    op->set_domain("");
    op->set_version(opset);
    auto* g = model.mutable_graph();
    g->set_name("classifier");
    add_value(g->mutable_input(), "image", {1, 3, 8, 8});
    set_tensor(*g->add_initializer(), "conv.weight", w);
    set_tensor(*g->add_initializer(), "conv.bias", b);
    set_tensor(*g->add_initializer(), "fc.weight", fc);
    set_tensor(*g->add_initializer(), "fc.bias", fc_b);
    auto* conv = add_node(g, "Conv", {"image", "conv.weight", "conv.bias"}, "c");
    attr_ints(conv, "kernel_shape", {3, 3});
    attr_ints(conv, "pads", {1, 1, 1, 1});
    add_node(g, "Relu", {"c"}, "r");
    auto* pool = add_node(g, "MaxPool", {"r"}, "p");
    attr_ints(pool, "kernel_shape", {2, 2});
    attr_ints(pool, "strides", {2, 2});
    add_node(g, "Flatten", {"p"}, "f");
    auto* gemm = add_node(g, "Gemm", {"f", "fc.weight", "fc.bias"}, "logits");
    attr_int(gemm, "transB", 1);
    auto* softmax = add_node(g, "Softmax", {"logits"}, "probs");
    attr_int(softmax, "axis", 1);
    add_value(g->mutable_output(), "probs", {1, 5});
  }
  std::string bytes() const { return model.SerializeAsString(); }

  // The same computation with the reference ops, one by one.
  Tensor expected(const Tensor& image) const {
    Conv2dParams conv;
    conv.padding = {1, 1, 1, 1};
    Tensor c = *reference::conv2d(image, w, &b, conv);
    Tensor r = reference::relu(c);
    PoolOptions pool;
    pool.kernel = {2, 2};
    pool.params.window.stride_h = pool.params.window.stride_w = 2;
    Tensor p = *reference::pool2d(r, pool);
    Tensor f = *reference::flatten(p, 1);
    Tensor logits = *reference::gemm(f, fc, &fc_b, {1.0f, 1.0f, false, true});
    return *reference::softmax(logits, {1, false, false});
  }
};

Result<onnx_model::OnnxModel> load(const std::string& bytes, const std::string& dir = ".") {
  return onnx_model::load_onnx_bytes(bytes, "test.onnx", dir);
}

}  // namespace

TEST_CASE("ONNX graph: a classifier built node by node runs as the reference ops do") {
  Classifier c;
  auto loaded = load(c.bytes());
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.message()));
  CHECK_FALSE(loaded->unsupported);
  const Graph& g = loaded->model.graph;
  REQUIRE(g.inputs().size() == 1);
  CHECK(g.inputs()[0].name == "image");
  CHECK(g.inputs()[0].shape == Shape{1, 3, 8, 8});
  REQUIRE(g.nodes().size() == 6);
  CHECK(g.nodes()[0].op == OpKind::Conv2d);
  CHECK(g.nodes()[0].weights == "conv");  // the initializers' own prefix
  CHECK(g.nodes()[2].op == OpKind::Pool2d);
  CHECK(g.nodes()[3].op == OpKind::Reshape);
  CHECK(g.nodes()[4].op == OpKind::Gemm);
  CHECK(g.is_constant("fc.weight"));
  CHECK(g.outputs() == std::vector<std::string>{"probs"});

  const Tensor image = ramp({1, 3, 8, 8}, 1.0f, 0.5f);
  const Tensor expected = c.expected(image);
  for (CpuPath path : {CpuPath::Reference, CpuPath::Fast}) {
    auto acts = run_graph_cpu(loaded->model, {{"image", image}}, path);
    REQUIRE_MESSAGE(acts.ok(), (acts.ok() ? "" : acts.message()));
    const Tensor& probs = acts->values.at("probs");
    REQUIRE(probs.shape() == Shape{1, 5});
    convlab::testing::check_close(probs, expected, 1e-6f, "probs");
    float sum = 0;
    for (float v : probs.values()) sum += v;
    CHECK(sum == doctest::Approx(1.0f).epsilon(1e-6));
  }
  // Wrong input shape: refused, naming the input and what the model takes.
  auto wrong = run_graph_cpu(loaded->model, {{"image", Tensor({1, 3, 9, 8})}});
  REQUIRE_FALSE(wrong.ok());
  CHECK(contains(wrong.message(), "input image has shape 1x3x9x8; the model takes 1x3x8x8"));
}

TEST_CASE("ONNX graph: weights in an external data file beside the model") {
  TempDir dir;
  Classifier c;
  auto* init = c.model.mutable_graph()->mutable_initializer(2);  // fc.weight
  const std::string raw = init->raw_data();
  {
    std::ofstream out(dir.path() / "weights.bin", std::ios::binary);
    out << std::string(16, 'x') << raw;  // at offset 16
  }
  init->clear_raw_data();
  init->set_data_location(onnx::TensorProto::EXTERNAL);
  for (auto [key, value] : {std::pair<std::string, std::string>{"location", "weights.bin"},
                            {"offset", "16"},
                            {"length", std::to_string(raw.size())}}) {
    auto* e = init->add_external_data();
    e->set_key(key);
    e->set_value(value);
  }
  const std::string model_path = (dir.path() / "classifier.onnx").string();
  const auto save = [&] { std::ofstream(model_path, std::ios::binary) << c.bytes(); };
  save();
  auto loaded = onnx_model::load_onnx_file(model_path);
  REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.message()));
  convlab::testing::check_close(loaded->model.weights.at("fc.weight"), c.fc, 0.0f, "fc.weight");
  // From bytes alone there is no folder to find the file in: refused, saying so.
  auto bytes_only = load(c.bytes());
  REQUIRE_FALSE(bytes_only.ok());
  CHECK(contains(bytes_only.message(), "external data"));

  // The file missing: refused, naming the model and the file.
  fs::remove(dir.path() / "weights.bin");
  auto missing = onnx_model::load_onnx_file(model_path);
  REQUIRE_FALSE(missing.ok());
  CHECK(contains(missing.message(), "classifier.onnx"));
  CHECK(contains(missing.message(), "weights.bin"));
  // A location outside the model's folder: refused.
  init->mutable_external_data(0)->set_value("../../etc/passwd");
  save();
  auto outside = onnx_model::load_onnx_file(model_path);
  REQUIRE_FALSE(outside.ok());
  CHECK(contains(outside.message(), "classifier.onnx"));
}

TEST_CASE("ONNX graph: bad models are refused with what is wrong, never half-loaded") {
  Classifier c;
  const std::string good = c.bytes();
  SUBCASE("truncated") {
    auto r = load(good.substr(0, good.size() / 2));
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.message(), "test.onnx"));
  }
  SUBCASE("random bytes") {
    std::mt19937 rng(7);
    std::string noise(4096, '\0');
    for (char& ch : noise) ch = static_cast<char>(rng());
    auto r = load(noise);
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.message(), "test.onnx"));
  }
  SUBCASE("an opset above 17") {
    Classifier newer(18);
    auto r = load(newer.bytes());
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.message(), "uses ONNX opset 18; ConvLab reads opsets 6 to 17"));
  }
  SUBCASE("an initializer whose bytes do not match its dims") {
    c.model.mutable_graph()->mutable_initializer(1)->mutable_raw_data()->resize(12);  // conv.bias: 4 floats
    auto r = load(c.bytes());
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.message(), "conv.bias"));
  }
  SUBCASE("a dimension of 2^31") {
    auto* init = c.model.mutable_graph()->mutable_initializer(3);  // fc.bias
    init->clear_raw_data();
    init->set_dims(0, int64_t{1} << 31);
    auto r = load(c.bytes());
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.message(), "fc.bias"));
  }
  SUBCASE("shapes that disagree") {
    // The Gemm's matrix for 65 inputs where the flatten gives 64.
    c.fc = ramp({5, 65}, 0.2f);
    set_tensor(*c.model.mutable_graph()->mutable_initializer(2), "fc.weight", c.fc);
    c.model.mutable_graph()->mutable_initializer(2)->mutable_dims()->Clear();
    for (int64_t d : c.fc.shape()) c.model.mutable_graph()->mutable_initializer(2)->add_dims(d);
    auto r = load(c.bytes());
    if (r.ok()) {  // ONNX's shape inference may let it through; the graph's does not
      auto acts = run_graph_cpu(r->model, {{"image", Tensor({1, 3, 8, 8})}});
      REQUIRE_FALSE(acts.ok());
      CHECK(contains(acts.message(), "inner sizes must agree (64 vs 65)"));
    } else {
      CHECK(contains(r.message(), "test.onnx"));
    }
  }
}

TEST_CASE(
    "ONNX graph: an unsupported op keeps the nodes before it and names node, op and the supported list") {
  Classifier c;
  auto* g = c.model.mutable_graph();
  // Replace the Softmax by an op ConvLab does not run.
  g->mutable_node(5)->set_op_type("Hardmax");
  auto r = load(c.bytes());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.message()));
  REQUIRE(r->unsupported);
  CHECK(r->unsupported->op == "Hardmax");
  CHECK(r->unsupported->node == "probs_node");
  CHECK(contains(r->unsupported->why, "op Hardmax is not supported; supported: Conv, ConvTranspose"));
  // The layers before it are there and run: their output is the logits.
  CHECK(r->model.graph.nodes().size() == 5);
  CHECK(r->model.graph.outputs() == std::vector<std::string>{"logits"});
  auto acts = run_graph_cpu(r->model, {{"image", ramp({1, 3, 8, 8}, 1.0f)}});
  REQUIRE(acts.ok());
  CHECK(acts->values.at("logits").shape() == Shape{1, 5});
}

TEST_CASE(
    "ONNX graph: Reshape sizes computed from Shape/Gather/Unsqueeze/Concat are folded; a free batch is "
    "copied") {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(13);
  auto* g = m.mutable_graph();
  g->set_name("flatten_by_shape");
  auto* in = g->add_input();
  in->set_name("x");
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  tt->mutable_shape()->add_dim()->set_dim_param("batch");
  for (int d : {2, 3, 4}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  auto int_const = [&](const std::string& name, std::vector<int64_t> values, bool scalar = false) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    if (!scalar) t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
  };
  int_const("zero", {0}, true);
  int_const("axes", {0});
  int_const("minus_one", {-1});
  add_node(g, "Shape", {"x"}, "s");
  auto* gather = add_node(g, "Gather", {"s", "zero"}, "n");
  attr_int(gather, "axis", 0);
  add_node(g, "Unsqueeze", {"n", "axes"}, "n1");
  auto* cat = add_node(g, "Concat", {"n1", "minus_one"}, "target");
  attr_int(cat, "axis", 0);
  add_node(g, "Reshape", {"x", "target"}, "y");
  auto* out = g->add_output();
  out->set_name("y");
  auto* out_type = out->mutable_type()->mutable_tensor_type();
  out_type->set_elem_type(onnx::TensorProto::FLOAT);
  out_type->mutable_shape()->add_dim()->set_dim_param("batch");
  out_type->mutable_shape()->add_dim()->set_dim_value(24);
  auto r = load(m.SerializeAsString());
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.message()));
  REQUIRE_FALSE(r->unsupported);
  REQUIRE(r->model.graph.nodes().size() == 1);  // the shape arithmetic is gone
  CHECK(r->model.graph.nodes()[0].shape_spec == std::vector<int64_t>{0, -1});
  const Tensor x = ramp({3, 2, 3, 4}, 1.0f);
  auto acts = run_graph_cpu(r->model, {{"x", x}});
  REQUIRE(acts.ok());
  CHECK(acts->values.at("y").shape() == Shape{3, 24});
  CHECK(acts->values.at("y").values() == x.values());
}

TEST_CASE("ONNX tensor files: .pb written and read back; .npy read; bad files refused") {
  TempDir dir;
  const Tensor t = ramp({2, 3, 4}, 2.0f);
  const std::string pb = (dir.path() / "t.pb").string();
  REQUIRE(onnx_model::write_tensor_pb(pb, t, "activation").ok());
  auto back = onnx_model::read_tensor_pb(pb);
  REQUIRE(back.ok());
  CHECK(back->shape() == t.shape());
  CHECK(back->values() == t.values());
  CHECK(*onnx_model::tensor_pb_name(pb) == "activation");
  CHECK_FALSE(fs::exists(pb + ".partial"));

  // numpy.save(np.arange(6, dtype='<f4').reshape(2, 3)) and an int64 array.
  auto npy = [](const std::string& descr, const std::string& shape, const std::string& data) {
    std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
    header.resize(((10 + header.size() + 1 + 63) / 64) * 64 - 10 - 1, ' ');
    header += '\n';
    std::string bytes = "\x93NUMPY";
    bytes += '\x01';
    bytes += '\x00';
    bytes += static_cast<char>(header.size() & 0xff);
    bytes += static_cast<char>(header.size() >> 8);
    return bytes + header + data;
  };
  std::string floats(24, '\0');
  for (int i = 0; i < 6; ++i) {
    const float v = static_cast<float>(i) * 0.5f;
    std::memcpy(floats.data() + 4 * i, &v, 4);
  }
  auto f = decode_npy(npy("<f4", "2, 3", floats), "a.npy");
  REQUIRE_MESSAGE(f.ok(), (f.ok() ? "" : f.message()));
  CHECK(f->shape() == Shape{2, 3});
  CHECK((*f)[5] == 2.5f);
  std::string ints(16, '\0');
  const int64_t values[2] = {7, -3};
  std::memcpy(ints.data(), values, 16);
  auto i = decode_npy(npy("<i8", "2,", ints), "b.npy");
  REQUIRE(i.ok());
  CHECK(i->values() == std::vector<float>{7.0f, -3.0f});
  auto big_endian = decode_npy(npy(">f4", "2, 3", floats), "c.npy");
  REQUIRE_FALSE(big_endian.ok());
  CHECK(contains(big_endian.message(), "c.npy"));
  CHECK(contains(big_endian.message(), "data type >f4"));
  auto short_data = decode_npy(npy("<f4", "2, 3", floats.substr(0, 20)), "d.npy");
  REQUIRE_FALSE(short_data.ok());
  CHECK(contains(short_data.message(), "needs 24"));
  auto not_pb = onnx_model::tensor_pb_from_bytes("", "e.pb");
  REQUIRE_FALSE(not_pb.ok());
  CHECK(contains(not_pb.message(), "e.pb is not an ONNX TensorProto file"));
}
