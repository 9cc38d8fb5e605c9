// The toolkit as a program outside this tree sees it: `cmake --install` into a prefix that is
// then moved, and projects of their own (examples/plugins, examples/embed, a `plugins new`
// skeleton) configured with their own CMake invocation against that prefix, built, tested,
// and run through the installed `datamux`.
//
// Each test works in its own folder under the build tree (a fixed path, so that ccache can
// serve a rerun's compilations), wiped at its start.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <sys/wait.h>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "datamux/core/json_file.h"
#include "datamux/core/sha256.h"
#include "datamux/core/version.h"

namespace datamux::test {
namespace {

namespace fs = std::filesystem;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

struct Shell {
  int exit_code;
  std::string out;  // stdout and stderr together
};

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}
std::string quoted(const fs::path& path) { return quoted(path.string()); }

// `with_errors` false: stdout only, stderr discarded.
Shell shell(const std::string& command, bool with_errors = true) {
  FILE* pipe = ::popen((command + (with_errors ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed: " + command};
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_text(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

const std::string kMajorMinor = [] {
  const std::string version = toolkit_version();
  return version.substr(0, version.rfind('.'));
}();

class Installed : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = fs::path(DATAMUX_PACKAGE_WORK_DIR) /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(work_);
    fs::create_directories(work_);
    // Installed in one place, used from another: the tree must not depend on where it was put.
    const auto staging = work_ / "staging";
    const Shell install = shell(quoted(std::string(DATAMUX_CMAKE)) + " --install " +
                                quoted(std::string(DATAMUX_BUILD_DIR)) + " --prefix " +
                                quoted(staging));
    ASSERT_EQ(install.exit_code, 0) << install.out;
    prefix_ = work_ / "prefix";
    fs::rename(staging, prefix_);
  }

  // The installed datamux, with DATAMUX_PLUGIN_PATH set to `plugin_path` (or unset).
  Shell datamux(const std::string& arguments, const fs::path& plugin_path = {}) const {
    const std::string env = plugin_path.empty()
                                ? "env -u DATAMUX_PLUGIN_PATH "
                                : "env DATAMUX_PLUGIN_PATH=" + quoted(plugin_path) + " ";
    return shell(env + quoted(prefix_ / "bin" / "datamux") + " " + arguments);
  }

  // Configures `source` into `build` against the installed prefix, as a user would.
  Shell configure(const fs::path& source, const fs::path& build,
                  const std::string& extra = "") const {
    std::string command = quoted(std::string(DATAMUX_CMAKE)) + " -S " + quoted(source) + " -B " +
                          quoted(build) + " -G " + quoted(std::string(DATAMUX_GENERATOR)) +
                          " -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=" +
                          quoted(std::string(DATAMUX_CXX_COMPILER)) + " -DCMAKE_PREFIX_PATH=" +
                          quoted(prefix_.string() + ";" + DATAMUX_PREFIX_PATH);
    if (std::string(DATAMUX_CXX_LAUNCHER).size())
      command += " -DCMAKE_CXX_COMPILER_LAUNCHER=" + quoted(std::string(DATAMUX_CXX_LAUNCHER));
    return shell(command + " " + extra);
  }

  // Configures, builds and runs the project's own tests (when it has any).
  void build_and_test(const fs::path& source, const fs::path& build, bool has_tests) const {
    const Shell configured = configure(source, build);
    ASSERT_EQ(configured.exit_code, 0) << configured.out;
    const Shell built =
        shell(quoted(std::string(DATAMUX_CMAKE)) + " --build " + quoted(build) + " -j 2");
    ASSERT_EQ(built.exit_code, 0) << built.out;
    if (!has_tests) return;
    const Shell tested = shell("cd " + quoted(build) + " && " +
                               quoted(std::string(DATAMUX_CTEST)) + " --output-on-failure");
    ASSERT_EQ(tested.exit_code, 0) << tested.out;
    EXPECT_CONTAINS(tested.out, "100% tests passed");
  }

  // Trains a few steps on generated data with the config sections `components` and checks
  // that the run completed with `library` (found through DATAMUX_PLUGIN_PATH) in its record.
  void train_on_toy(const std::string& name, const std::string& components,
                    const fs::path& library) const {
    const auto config = work_ / (name + ".json");
    write_text(config, R"({"run": {"seed": 2, "device": "cpu"},
      "model": {"num_instances": 2, "max_seq_length": 12},
      "data": {"format": "toy", "train_examples": 64, "eval_examples": 16},)" + components + R"(
      "task": {"plugin": "sequence_classification"},
      "train": {"steps": 4, "batch_size": 4, "log_every": 1, "throughput_repeats": 1}})");
    const auto run = work_ / "runs" / name;
    const Shell trained = datamux("train --config " + quoted(config) + " --out " + quoted(run),
                                  library.parent_path());
    ASSERT_EQ(trained.exit_code, 0) << trained.out;
    const auto record = read_json_file(run / "run.json");
    EXPECT_EQ(std::string(record["status"].GetString()), "complete");
    EXPECT_CONTAINS(read_text(run / "run.json"), library.string());
  }

  fs::path work_, prefix_;
};

fs::path source(const std::string& relative) { return fs::path(DATAMUX_TEST_SOURCE_DIR) / relative; }

std::string plugin_dir() { return std::string("lib/datamux-") + toolkit_version() + "/plugins"; }

TEST_F(Installed, MovedTreeFindsItsBundledPluginsWithCurrentManifests) {
  const Shell listed = datamux("plugins list");
  ASSERT_EQ(listed.exit_code, 0) << listed.out;
  EXPECT_CONTAINS(listed.out, (prefix_ / plugin_dir() / "roberta.so").string());
  EXPECT_CONTAINS(listed.out, "gaussian_hadamard");
  // Installed byte for byte as built, so `plugins list` reads manifests instead of loading code.
  for (const auto& entry : fs::directory_iterator(prefix_ / plugin_dir())) {
    if (entry.path().extension() != ".so") continue;
    auto manifest = entry.path();
    const auto record = read_json_file(manifest.replace_extension(".json"));
    EXPECT_EQ(std::string(record["sha256"].GetString()), sha256_file(entry.path())) << entry.path();
  }
  for (const char* header : {"include/datamux/sdk/sdk.h", "include/datamux/core/embedding.h",
                             "lib/cmake/Datamux/DatamuxConfig.cmake",
                             "lib/cmake/Datamux/DatamuxConfigVersion.cmake"})
    EXPECT_TRUE(fs::exists(prefix_ / header)) << header;
}

// The example project: a GRU backbone and MUX-PLMs' contextual multiplexer in one library.
TEST_F(Installed, ExamplePluginBuildsTestsListsDescribesAndTrains) {
  const auto build = work_ / "example";
  ASSERT_NO_FATAL_FAILURE(build_and_test(source("examples/plugins"), build, true));
  const auto plugins = build / "plugins";
  ASSERT_TRUE(fs::exists(plugins / "mux_plm.json"));

  const Shell listed = datamux("plugins list", plugins);
  ASSERT_EQ(listed.exit_code, 0) << listed.out;
  EXPECT_CONTAINS(listed.out, "gru");
  EXPECT_CONTAINS(listed.out, "contextual");
  EXPECT_CONTAINS(listed.out, (plugins / "mux_plm.so").string());
  EXPECT_CONTAINS(listed.out, "roberta");  // the bundled ones are still there

  const Shell described = datamux("plugins describe contextual", plugins);
  ASSERT_EQ(described.exit_code, 0) << described.out;
  EXPECT_CONTAINS(described.out, "contextual (multiplexer)");
  EXPECT_CONTAINS(described.out, "heads");
  const Shell gru = datamux("plugins describe gru", plugins);
  EXPECT_CONTAINS(gru.out, "gru-tiny");

  ASSERT_NO_FATAL_FAILURE(train_on_toy("gru", R"(
    "backbone": {"plugin": "gru", "preset": "gru-tiny"},
    "multiplexer": {"plugin": "contextual", "heads": 2},
    "demultiplexer": {"plugin": "index"},)", plugins / "mux_plm.so"));
}

// `plugins new` writes a project that builds, passes its own test and loads as written.
TEST_F(Installed, PluginsNewSkeletonBuildsAndLoads) {
  const auto project = work_ / "my_mux";
  const Shell written = datamux("plugins new multiplexer my_mux " + quoted(project));
  ASSERT_EQ(written.exit_code, 0) << written.out;
  for (const char* file : {"CMakeLists.txt", "my_mux.cpp", "tests/my_mux_test.cpp"})
    EXPECT_TRUE(fs::exists(project / file)) << file;
  ASSERT_NO_FATAL_FAILURE(build_and_test(project, project / "build", true));

  const auto plugins = project / "build" / "plugins";
  const Shell described = datamux("plugins describe my_mux", plugins);
  ASSERT_EQ(described.exit_code, 0) << described.out;
  EXPECT_CONTAINS(described.out, "my_mux (multiplexer)");
  ASSERT_NO_FATAL_FAILURE(train_on_toy("my_mux", R"(
    "backbone": {"plugin": "roberta", "preset": "tiny"},
    "multiplexer": {"plugin": "my_mux"},
    "demultiplexer": {"plugin": "index"},)", plugins / "my_mux.so"));

  const Shell again = datamux("plugins new multiplexer my_mux " + quoted(project));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_CONTAINS(again.out, "exists and is not an empty directory");
  const Shell bad_name = datamux("plugins new task My-Task " + quoted(work_ / "other"));
  EXPECT_EQ(bad_name.exit_code, 1);
  EXPECT_CONTAINS(bad_name.out, "name 'My-Task' must start with a lower-case letter");
}

// A line's first field, without the spaces around it (as the readers take it).
std::string first_field(const std::string& line, char separator) {
  std::string field = line.substr(0, line.find(separator));
  while (!field.empty() && field.back() == ' ') field.pop_back();
  return field;
}

// The first `count` examples of a generated file: GLUE keeps its header line, CoNLL its
// blank-line-separated sentences.
std::string head_of_tsv(const std::string& text, int count) {
  std::istringstream in(text);
  std::string line, out;
  for (int i = 0; i <= count && std::getline(in, line); ++i) out += line + "\n";
  return out;
}
std::string head_of_conll(const std::string& text, int count) {
  std::istringstream in(text);
  std::string line, out;
  int sentences = 0;
  while (std::getline(in, line) && sentences < count) {
    out += line + "\n";
    if (line.empty()) ++sentences;
  }
  return out;
}

// The embedding example against `datamux eval --predictions` on the same inputs, for a
// sentence task and a token task, with a partial last group (37 and 23 inputs, N = 3).
TEST_F(Installed, EmbedExampleEqualsEvalPredictions) {
  const auto build = work_ / "embed";
  ASSERT_NO_FATAL_FAILURE(build_and_test(source("examples/embed"), build, false));
  const auto data = work_ / "data";
  const Shell generated = datamux("demo-data --out " + quoted(data));
  ASSERT_EQ(generated.exit_code, 0) << generated.out;

  struct Case {
    std::string name, format, task, train, eval, mode;
    std::string inputs;  // what the example reads
  };
  std::vector<Case> cases;
  {
    const std::string dev = head_of_tsv(read_text(data / "sst2" / "dev.tsv"), 37);
    write_text(work_ / "sst2-dev.tsv", dev);
    std::istringstream in(dev);
    std::string line, sentences;
    std::getline(in, line);  // header
    while (std::getline(in, line)) sentences += first_field(line, '\t') + "\n";
    cases.push_back({"sst2", "sst2", R"(sequence_classification", "pooling": "mean)", (data / "sst2" / "train.tsv").string(),
                     (work_ / "sst2-dev.tsv").string(), "--classify", sentences});
  }
  {
    const std::string valid = head_of_conll(read_text(data / "conll2003" / "valid.txt"), 23);
    write_text(work_ / "ner-valid.txt", valid);
    std::istringstream in(valid);
    std::string line, words;
    // The reader skips document separators: a program tagging text has none.
    bool separator = false;
    while (std::getline(in, line)) {
      if (line.rfind("-DOCSTART-", 0) == 0 || (separator && line.empty())) {
        separator = !line.empty();
        continue;
      }
      separator = false;
      words += first_field(line, ' ') + "\n";
    }
    cases.push_back({"ner", "conll", "token_classification",
                     (data / "conll2003" / "train.txt").string(), (work_ / "ner-valid.txt").string(),
                     "--tag", words});
  }
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto config = work_ / (c.name + ".json");
    write_text(config, R"({"run": {"seed": 1, "device": "cpu"},
      "model": {"num_instances": 3, "max_seq_length": 20},
      "data": {"format": ")" + c.format + R"(", "train_file": ")" + c.train + R"(",
               "eval_file": ")" + c.eval + R"(", "vocab_size": 400},
      "backbone": {"plugin": "roberta", "preset": "tiny"},
      "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
      "task": {"plugin": ")" + c.task + R"("}, "auxiliary": {"plugin": "retrieval"},
      "train": {"steps": 150, "batch_size": 4, "learning_rate": 0.002, "throughput_repeats": 1}})");
    const auto run = work_ / "runs" / c.name;
    const Shell trained = datamux("train --config " + quoted(config) + " --out " + quoted(run));
    ASSERT_EQ(trained.exit_code, 0) << trained.out;
    const auto predictions = work_ / (c.name + ".pred");
    const Shell evaluated = datamux("eval --run " + quoted(run) + " --data " + quoted(c.eval) +
                                    " --predictions " + quoted(predictions));
    ASSERT_EQ(evaluated.exit_code, 0) << evaluated.out;

    const auto inputs = work_ / (c.name + ".inputs");
    write_text(inputs, c.inputs);
    const Shell embedded = shell("env -u DATAMUX_PLUGIN_PATH " + quoted(build / "datamux_embed") +
                                 " " + quoted(run) + " " + c.mode + " " + quoted(inputs),
                                 false);
    ASSERT_EQ(embedded.exit_code, 0) << embedded.out;
    const std::string expected = read_text(predictions);
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(embedded.out, expected);
    // 150 steps are enough for the predictions to differ, so the comparison means something.
    std::set<std::string> labels;
    std::istringstream lines(expected);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) labels.insert(line.substr(line.rfind(' ') + 1));
    EXPECT_GT(labels.size(), 1u) << expected;
  }
}

// A project whose libtorch differs from the toolkit's fails at configure time, one message
// showing both. The other libtorch is a stand-in package that declares version 9.9.0.
TEST_F(Installed, FindPackageRefusesAnotherLibtorch) {
  const auto fake = work_ / "other-torch";
  write_text(fake / "TorchConfigVersion.cmake",
             "set(PACKAGE_VERSION \"9.9.0\")\nset(PACKAGE_VERSION_COMPATIBLE TRUE)\n");
  write_text(fake / "TorchConfig.cmake",
             "set(TORCH_CXX_FLAGS \"-D_GLIBCXX_USE_CXX11_ABI=1\")\nset(TORCH_FOUND TRUE)\n");
  const auto project = work_ / "consumer";
  write_text(project / "CMakeLists.txt",
             "cmake_minimum_required(VERSION 3.18)\nproject(consumer CXX)\n"
             "find_package(Datamux " + kMajorMinor + " REQUIRED)\n");
  const Shell configured = configure(project, project / "build", "-DTorch_DIR=" + quoted(fake));
  EXPECT_NE(configured.exit_code, 0) << configured.out;
  // CMake wraps a long message at spaces: compare with single spaces.
  std::string message;
  for (const char c : configured.out)
    if (!std::isspace(static_cast<unsigned char>(c))) message += c;
    else if (!message.empty() && message.back() != ' ') message += ' ';
  EXPECT_CONTAINS(message, std::string("Datamux ") + toolkit_version() +
                                      " was built with libtorch " + DATAMUX_TORCH_VERSION);
  EXPECT_CONTAINS(message, "but this project found libtorch 9.9.0 (cpu, cxx11abi 1) at " +
                                      fake.string());
}

}  // namespace
}  // namespace datamux::test
