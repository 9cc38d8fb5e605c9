// Loader behaviour: discovery, manifests, and a clear one-line error for every defect.
#include <gtest/gtest.h>

#include "datamux/core/plugin_host.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/resolved_config.h"
#include "datamux/core/sha256.h"
#include "datamux/sdk/abi.h"
#include "support/test_support.h"

namespace datamux {
namespace {

using test::fixture_dir;

// Runs `body` and returns the Error message it throws; fails the test if it throws nothing.
template <typename Body>
std::string error_of(Body body) {
  try {
    body();
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
    return message;
  }
  ADD_FAILURE() << "expected datamux::Error";
  return "";
}

TEST(PluginLoader, DefaultSearchPathListsTheFourBuiltInComponents) {
  PluginHost host(plugin_search_path({}));
  std::map<std::string, ComponentKind> seen;
  for (const auto& row : host.list()) seen[row.name] = row.kind;
  EXPECT_EQ(seen.at("roberta"), ComponentKind::kBackbone);
  EXPECT_EQ(seen.at("gaussian_hadamard"), ComponentKind::kMultiplexer);
  EXPECT_EQ(seen.at("index"), ComponentKind::kDemultiplexer);
  EXPECT_EQ(seen.at("sequence_classification"), ComponentKind::kTask);
  // Manifests are current, so listing loaded no library.
  EXPECT_TRUE(host.loaded().empty());
}

TEST(PluginLoader, LoadsOnlyTheLibraryThatProvidesAComponent) {
  PluginHost host(plugin_search_path({}));
  const auto& backbone = host.require<Backbone>("roberta");
  EXPECT_EQ(backbone.plugin->name, "roberta");
  ASSERT_EQ(host.loaded().size(), 1u);
  EXPECT_EQ(host.loaded()[0]->sha256.size(), 64u);
}

TEST(PluginLoader, StaleManifestFallsBackToLoadingTheLibrary) {
  test::ScratchDir dir;
  const auto source = default_plugin_directory() / "index.so";
  std::filesystem::copy_file(source, dir.path() / "index.so");
  dir.write("index.json", R"({"manifest_version": 1, "plugin": "index", "version": "0",
    "build_key": "x", "sha256": "0000", "components": [{"kind": "task", "name": "bogus"}]})");
  PluginHost host({dir.path()});
  const auto rows = host.list();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "index");  // read from the library, not the stale manifest
  EXPECT_EQ(rows[0].kind, ComponentKind::kDemultiplexer);
}

// A library of another SDK or toolchain that ships a manifest matching its bytes (as one
// built elsewhere does) is still refused with both values: listing it from the manifest would
// hide the mismatch until a run loads it.
std::string list_error_with_manifest(const std::string& fixture, std::uint32_t abi,
                                     const std::string& build_key) {
  test::ScratchDir dir;
  const auto library = dir.path() / ("fixture_" + fixture + ".so");
  std::filesystem::copy_file(fixture_dir(fixture) / library.filename(), library);
  dir.write("fixture_" + fixture + ".json",
            R"({"manifest_version": 1, "abi": )" + std::to_string(abi) +
                R"(, "plugin": "fixture_)" + fixture + R"(", "version": "0", "build_key": ")" +
                build_key + R"(", "sha256": ")" + sha256_file(library) +
                R"(", "components": [{"kind": "task", "name": "listed"}]})");
  PluginHost host({dir.path()});
  return error_of([&] { host.list(); });
}

TEST(PluginLoader, ManifestOfAnotherBuildKeyDoesNotHideTheMismatch) {
  const auto message = list_error_with_manifest("wrong_build_key", kPluginAbi,
                                                "torch-0.1;cxx11abi-0;gcc-4;cxx-1");
  EXPECT_CONTAINS(message, std::string("build key mismatch: expected '") + DATAMUX_BUILD_KEY +
                               "', found 'torch-0.1;cxx11abi-0;gcc-4;cxx-1'");
}

TEST(PluginLoader, ManifestOfAnotherAbiDoesNotHideTheMismatch) {
  const auto message = list_error_with_manifest("wrong_abi", 999, DATAMUX_BUILD_KEY);
  EXPECT_CONTAINS(message, "ABI mismatch: expected " + std::to_string(kPluginAbi) + ", found 999");
}

TEST(PluginLoader, UnknownNameListsTheAvailableOnesOfThatKind) {
  PluginHost host(plugin_search_path({}));
  const auto message = error_of([&] { host.require<Backbone>("robrta"); });
  EXPECT_NE(message.find("unknown backbone 'robrta'"), std::string::npos) << message;
  EXPECT_NE(message.find("available: albert, lstm, roberta"), std::string::npos) << message;
}

TEST(PluginLoader, WrongAbiShowsExpectedAndFound) {
  PluginHost host({fixture_dir("wrong_abi")});
  const auto message = error_of([&] { host.load_all(); });
  EXPECT_NE(message.find("fixture_wrong_abi.so"), std::string::npos) << message;
  EXPECT_NE(message.find("ABI mismatch: expected " + std::to_string(kPluginAbi) + ", found 999"),
            std::string::npos)
      << message;
}

TEST(PluginLoader, WrongBuildKeyShowsExpectedAndFound) {
  PluginHost host({fixture_dir("wrong_build_key")});
  const auto message = error_of([&] { host.load_all(); });
  EXPECT_NE(message.find("build key mismatch"), std::string::npos) << message;
  EXPECT_NE(message.find(std::string("expected '") + DATAMUX_BUILD_KEY + "'"), std::string::npos)
      << message;
  EXPECT_NE(message.find("found 'torch-0.1;cxx11abi-0;gcc-4;cxx-1'"), std::string::npos)
      << message;
}

TEST(PluginLoader, LibraryWithoutEntryPointIsNotAPlugin) {
  PluginHost host({fixture_dir("no_entry")});
  const auto message = error_of([&] { host.load_all(); });
  EXPECT_NE(message.find("fixture_no_entry.so: not a datamux plugin"), std::string::npos)
      << message;
}

TEST(PluginLoader, DuplicateNameNamesBothFiles) {
  PluginHost host({fixture_dir("duplicate")});
  const auto message = error_of([&] { host.require<Task>("twin"); });
  EXPECT_NE(message.find("task 'twin' is registered twice"), std::string::npos) << message;
  EXPECT_NE(message.find("fixture_twin_a.so"), std::string::npos) << message;
  EXPECT_NE(message.find("fixture_twin_b.so"), std::string::npos) << message;
}

TEST(PluginLoader, NameMustMatchTheFileStem) {
  PluginHost host({fixture_dir("misnamed")});
  const auto message = error_of([&] { host.load_all(); });
  EXPECT_NE(message.find("declares the name 'a_different_name'"), std::string::npos) << message;
}

TEST(PluginLoader, ThrowingConstructorNamesThePlugin) {
  PluginHost host(plugin_search_path({fixture_dir("throwing").string()}));
  const auto message = error_of([&] {
    ExperimentConfig clean = ExperimentConfig::from_json_text(R"({
      "backbone": {"plugin": "throwing"}, "multiplexer": {"plugin": "gaussian_hadamard"},
      "demultiplexer": {"plugin": "mlp"}, "task": {"plugin": "sequence_classification"}})",
                                                              "<inline>");
    const ResolvedConfig resolved = resolve_config(clean, host);
    DataShape shape;
    shape.vocab_size = 100;
    shape.label_names = {"negative", "positive"};
    build_model(resolved, host, shape);
  });
  EXPECT_NE(message.find("backbone 'throwing'"), std::string::npos) << message;
  EXPECT_NE(message.find("fixture_throwing.so"), std::string::npos) << message;
  EXPECT_NE(message.find("failed to construct: weights file missing"), std::string::npos)
      << message;
}

TEST(PluginLoader, EarlierDirectoryShadowsALibraryOfTheSameName) {
  test::ScratchDir first;
  std::filesystem::copy_file(fixture_dir("wrong_abi") / "fixture_wrong_abi.so",
                             first.path() / "index.so");
  PluginHost host({first.path(), default_plugin_directory()});
  int index_candidates = 0;
  for (const auto& candidate : host.candidates()) index_candidates += candidate.stem == "index";
  EXPECT_EQ(index_candidates, 1);
}

TEST(PluginLoader, MissingPluginPathDirectoryIsAnError) {
  const auto message = error_of([] { plugin_search_path({"/nonexistent/plugins"}); });
  EXPECT_NE(message.find("--plugin-path: plugin directory '/nonexistent/plugins' does not exist"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace datamux
