#include "datamux/core/plugin_skeleton.h"

#include <algorithm>
#include <cctype>

#include "datamux/core/durable_file.h"
#include "datamux/core/version.h"
#include "datamux/sdk/error.h"

namespace datamux {
namespace {

// The parts of a skeleton that differ by kind: the component class (its own code, the
// interface it implements) and the lines of the test that run it once.
struct KindTemplate {
  const char* interface;  // SDK class
  const char* add;        // Registrar method
  const char* component;  // the class, in namespace @NAME@
  const char* check;      // test body: `component` is the created object, `ctx` its context
  const char* declares;   // lines filling `spec.declares` (what the core needs before building)
};

constexpr const char* kBackbone = R"(// Token embeddings, then one linear layer and tanh over the mixture.
class Component : public datamux::Backbone {
 public:
  Component(const datamux::Options& options, const datamux::ModelContext& ctx)
      : width_(options.get_int("hidden_size")) {
    embedding_ = register_module("embedding", torch::nn::Embedding(ctx.vocab_size, width_));
    layer_ = register_module("layer", torch::nn::Linear(width_, width_));
  }
  std::int64_t hidden_size() const override { return width_; }
  torch::Tensor embed(const torch::Tensor& input_ids) override { return embedding_(input_ids); }
  torch::Tensor encode(const torch::Tensor& mixed, const torch::Tensor& /*mask*/) override {
    return torch::tanh(layer_(mixed));
  }

 private:
  std::int64_t width_;
  torch::nn::Embedding embedding_{nullptr};
  torch::nn::Linear layer_{nullptr};
};

void declare_options(datamux::OptionSchema& schema) {
  schema.add_int("hidden_size", 64, "width d of embeddings and outputs", 1);
}
)";
constexpr const char* kBackboneCheck = R"(  const auto embedded = component->embed(torch::randint(0, ctx.vocab_size, {4, 7}));
  EXPECT_EQ(embedded.sizes(), (std::vector<std::int64_t>{4, 7, component->hidden_size()}));
  const auto mixed = embedded.view({2, 2, 7, -1}).mean(1);
  EXPECT_EQ(component->encode(mixed, torch::ones({2, 7}, torch::kBool)).sizes(), mixed.sizes());
)";

constexpr const char* kMultiplexer = R"(// Each group's N instances, averaged and scaled.
class Component : public datamux::Multiplexer {
 public:
  Component(const datamux::Options& options, const datamux::ModelContext& ctx)
      : n_(ctx.num_instances), scale_(options.get_float("scale")) {}
  torch::Tensor mix(const torch::Tensor& embedded) override {
    return scale_ * embedded.view({-1, n_, embedded.size(1), embedded.size(2)}).mean(1);
  }

 private:
  std::int64_t n_;
  double scale_;
};

void declare_options(datamux::OptionSchema& schema) {
  schema.add_float("scale", 1.0, "factor applied to the group's mean", 0.0);
}
)";
constexpr const char* kMultiplexerCheck = R"(  const auto mixed = component->mix(torch::randn({ctx.num_instances * 3, 7, ctx.hidden_size}));
  EXPECT_EQ(mixed.sizes(), (std::vector<std::int64_t>{3, 7, ctx.hidden_size}));
)";

constexpr const char* kDemultiplexer = R"(// No prefix: instance i's states are the mixture's plus a learned vector of its own.
class Component : public datamux::Demultiplexer {
 public:
  Component(const datamux::Options& options, const datamux::ModelContext& ctx)
      : n_(ctx.num_instances) {
    offsets_ = register_parameter(
        "offsets", options.get_float("init") * torch::randn({n_, ctx.hidden_size}));
  }
  torch::Tensor add_prefix(const torch::Tensor& input_ids) override { return input_ids; }
  torch::Tensor tokens(const torch::Tensor& hidden) override {
    const auto per_instance = hidden.unsqueeze(1) + offsets_.view({1, n_, 1, -1});
    return per_instance.reshape({-1, hidden.size(1), hidden.size(2)});
  }
  torch::Tensor sentence(const torch::Tensor& hidden) override { return tokens(hidden).mean(1); }

 private:
  std::int64_t n_;
  torch::Tensor offsets_;
};

void declare_options(datamux::OptionSchema& schema) {
  schema.add_float("init", 0.02, "standard deviation of the instance vectors at the start", 0.0);
}
)";
// The layout the core reserves before anything is built: no prefix positions, no tokens.
constexpr const char* kDemultiplexerDeclares = R"(  spec.declares.layout = [](const datamux::Options&, std::int64_t /*num_instances*/) {
    return datamux::DemultiplexerLayout{};
  };
)";
constexpr const char* kDemultiplexerCheck = R"(  const auto hidden = torch::randn({3, 7, ctx.hidden_size});
  EXPECT_EQ(component->tokens(hidden).sizes(),
            (std::vector<std::int64_t>{3 * ctx.num_instances, 7, ctx.hidden_size}));
  EXPECT_EQ(component->sentence(hidden).sizes(),
            (std::vector<std::int64_t>{3 * ctx.num_instances, ctx.hidden_size}));
)";

constexpr const char* kTask = R"(// Sentence classification: a linear head on the sentence states, cross-entropy, accuracy.
class Accuracy : public datamux::Metric {
 public:
  void update(const torch::Tensor& logits, const torch::Tensor& targets,
              const datamux::Batch& /*batch*/) override {
    const auto scored = targets != datamux::kIgnoreLabel;
    correct_ += (logits.argmax(-1).eq(targets) & scored).sum().item<double>();
    total_ += scored.sum().item<double>();
  }
  datamux::MetricValues compute() const override {
    return {{"accuracy", total_ > 0 ? correct_ / total_ : 0.0}};
  }

 private:
  double correct_ = 0, total_ = 0;
};

class Component : public datamux::Task {
 public:
  Component(const datamux::Options& options, const datamux::ModelContext& ctx)
      : dropout_(options.get_float("dropout")) {
    head_ = register_module("head", torch::nn::Linear(ctx.hidden_size, ctx.num_labels));
  }
  datamux::StatesRead reads() const override { return {/*sentence=*/true, /*tokens=*/false}; }
  datamux::TaskOutput forward(const datamux::DemuxedStates& states,
                              const datamux::Batch& batch) override {
    const auto logits = head_(torch::dropout(states.sentence, dropout_, is_training()));
    const auto loss = torch::nn::functional::cross_entropy(
        logits, batch.labels,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(datamux::kIgnoreLabel));
    return {logits, batch.labels, loss};
  }
  std::unique_ptr<datamux::Metric> make_metric() const override {
    return std::make_unique<Accuracy>();
  }
  std::string primary_metric() const override { return "accuracy"; }

 private:
  double dropout_;
  torch::nn::Linear head_{nullptr};
};

void declare_options(datamux::OptionSchema& schema) {
  schema.add_float("dropout", 0.1, "dropout on the sentence states", 0.0, 1.0);
}
)";
constexpr const char* kTaskCheck = R"(  datamux::DemuxedStates states;
  states.sentence = torch::randn({4, ctx.hidden_size});
  datamux::Batch batch;
  batch.labels = torch::tensor(std::vector<std::int64_t>{0, 1, 1, datamux::kIgnoreLabel});
  batch.num_instances = ctx.num_instances;
  const auto output = component->forward(states, batch);
  EXPECT_EQ(output.logits.sizes(), (std::vector<std::int64_t>{4, ctx.num_labels}));
  EXPECT_TRUE(output.loss.isfinite().item<bool>());
)";

KindTemplate template_for(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kBackbone:
      return {"Backbone", "add_backbone", kBackbone, kBackboneCheck, ""};
    case ComponentKind::kMultiplexer:
      return {"Multiplexer", "add_multiplexer", kMultiplexer, kMultiplexerCheck, ""};
    case ComponentKind::kDemultiplexer:
      return {"Demultiplexer", "add_demultiplexer", kDemultiplexer, kDemultiplexerCheck,
              kDemultiplexerDeclares};
    case ComponentKind::kTask: return {"Task", "add_task", kTask, kTaskCheck, ""};
  }
  throw Error("plugins new: unknown component kind");
}

constexpr const char* kCMakeLists = R"(# The @NAME@ plugin for datamux, written by `datamux plugins new`. Build against an installed
# datamux:
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=<datamux prefix> && cmake --build build
#   (cd build && ctest)
#   DATAMUX_PLUGIN_PATH=$PWD/build/plugins datamux plugins describe @NAME@
cmake_minimum_required(VERSION 3.18)
project(@NAME@ LANGUAGES CXX)

find_package(Datamux @MAJOR_MINOR@ REQUIRED)

# build/plugins/@NAME@.so and its manifest @NAME@.json; `cmake --install` puts both where a
# datamux installed in the same prefix finds them.
datamux_add_plugin(@NAME@ SOURCES @NAME@.cpp)

enable_testing()
find_package(GTest REQUIRED)
include(GoogleTest)
add_executable(@NAME@_test tests/@NAME@_test.cpp)
target_link_libraries(@NAME@_test PRIVATE Datamux::core GTest::gtest_main)
target_compile_definitions(@NAME@_test PRIVATE PLUGIN_DIR="${DATAMUX_PLUGIN_OUTPUT_DIR}")
add_dependencies(@NAME@_test @NAME@)
gtest_discover_tests(@NAME@_test DISCOVERY_TIMEOUT 120)  # libtorch starts slowly on a busy machine
)";

constexpr const char* kSource = R"(// The @NAME@ plugin: one @KIND@ named "@NAME@" (docs/plugins.md, the plugin author's guide).
#include <memory>

#include <torch/torch.h>

#include "datamux/sdk/sdk.h"

namespace @NAME@ {
namespace {

@COMPONENT@
void register_components(datamux::Registrar& registrar) {
  datamux::ComponentSpec<datamux::@INTERFACE@> spec;
  spec.name = "@NAME@";
  spec.help = "a @KIND@ written from the datamux skeleton";
  spec.declare_options = declare_options;
  spec.create = [](const datamux::Options& options, const datamux::ModelContext& ctx) {
    return std::make_shared<Component>(options, ctx);
  };
@DECLARES@  registrar.@ADD@(std::move(spec));
}

}  // namespace
}  // namespace @NAME@

// The one exported symbol; the name must equal the library's file stem.
DATAMUX_PLUGIN("@NAME@", "0.1.0", @NAME@::register_components)
)";

constexpr const char* kTest = R"(// Loads the built @NAME@.so as datamux does, creates its @KIND@ with the default options and
// runs it once on random inputs.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "datamux/core/plugin_host.h"

namespace {

// The declared defaults, as a config section without keys resolves them.
datamux::Options default_options(const datamux::OptionSchema& schema) {
  boost::program_options::variables_map values;
  boost::program_options::store(boost::program_options::parsed_options(&schema.description()),
                                values);
  boost::program_options::notify(values);
  return datamux::Options("@KIND@", values);
}

TEST(@NAME@, LoadsAndRuns) {
  datamux::PluginHost host({PLUGIN_DIR});
  const auto& registered = host.require<datamux::@INTERFACE@>("@NAME@");
  EXPECT_EQ(registered.plugin->name, "@NAME@");
  datamux::OptionSchema schema;
  registered.spec.declare_options(schema);
  datamux::ModelContext ctx;
  ctx.num_instances = 2;
  ctx.vocab_size = 100;
  ctx.max_length = 16;
  ctx.hidden_size = 8;
  ctx.num_labels = 2;
  torch::manual_seed(0);
  const auto component = registered.spec.create(default_options(schema), ctx);
@CHECK@}

}  // namespace
)";

std::string substitute(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values)
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  return text;
}

void check_name(const std::string& name) {
  const bool valid = !name.empty() && std::islower(static_cast<unsigned char>(name[0])) &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return std::islower(static_cast<unsigned char>(c)) ||
                              std::isdigit(static_cast<unsigned char>(c)) || c == '_';
                     });
  if (!valid)
    throw Error("plugins new: name '" + name + "' must start with a lower-case letter and hold "
                "only lower-case letters, digits and '_' (it names the library and a namespace)");
}

}  // namespace

std::vector<std::filesystem::path> write_plugin_skeleton(ComponentKind kind, const std::string& name,
                                                         const std::filesystem::path& directory) {
  check_name(name);
  if (std::filesystem::exists(directory) &&
      (!std::filesystem::is_directory(directory) || !std::filesystem::is_empty(directory)))
    throw Error("plugins new: " + directory.string() + " exists and is not an empty directory");
  const KindTemplate kind_template = template_for(kind);
  const std::string version = toolkit_version();
  const std::vector<std::pair<std::string, std::string>> values = {
      {"@COMPONENT@", kind_template.component}, {"@CHECK@", kind_template.check},
      {"@DECLARES@", kind_template.declares},
      {"@INTERFACE@", kind_template.interface},  {"@ADD@", kind_template.add},
      {"@KIND@", kind_name(kind)},               {"@NAME@", name},
      {"@MAJOR_MINOR@", version.substr(0, version.rfind('.'))}};
  const std::vector<std::pair<std::filesystem::path, const char*>> files = {
      {"CMakeLists.txt", kCMakeLists}, {name + ".cpp", kSource},
      {std::filesystem::path("tests") / (name + "_test.cpp"), kTest}};
  std::vector<std::filesystem::path> written;
  for (const auto& [relative, text] : files) {
    const auto path = directory / relative;
    std::filesystem::create_directories(path.parent_path());
    write_file_atomically(path, substitute(text, values));
    written.push_back(path);
  }
  return written;
}

}  // namespace datamux
