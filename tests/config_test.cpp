// Config reading and option binding: every bad input is one line naming file, section and key.
#include <gtest/gtest.h>

#include "datamux/core/json_file.h"
#include "datamux/core/option_binding.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/resolved_config.h"
#include "support/test_support.h"

namespace datamux {
namespace {

std::string resolve_error(const std::string& json, const std::vector<std::string>& sets = {}) {
  test::ScratchDir dir;
  const auto file = dir.write("exp.json", json);
  try {
    ExperimentConfig config = ExperimentConfig::from_file(file);
    for (const auto& assignment : sets) config.set(assignment);
    PluginHost host(plugin_search_path({}));
    resolve_config(config, host);
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "expected datamux::Error";
  return "";
}

ResolvedConfig resolve_ok(const std::string& json, const std::vector<std::string>& sets = {}) {
  ExperimentConfig config = ExperimentConfig::from_json_text(json, "<test>");
  for (const auto& assignment : sets) config.set(assignment);
  PluginHost host(plugin_search_path({}));
  return resolve_config(config, host);
}

TEST(Config, PresetThenConfigThenSetOverride) {
  const auto config = resolve_ok(test::tiny_config(2, R"("train": {"steps": 7})"),
                                 {"backbone.num_layers=3", "train.learning_rate=0.002"});
  const auto& backbone = config.backbone.section.options;
  EXPECT_EQ(backbone.get_int("hidden_size"), 64);  // from the roberta-tiny preset
  EXPECT_EQ(backbone.get_int("num_layers"), 3);    // --set beats the preset
  EXPECT_EQ(config.train.options.get_int("steps"), 7);
  EXPECT_DOUBLE_EQ(config.train.options.get_float("learning_rate"), 0.002);
  EXPECT_DOUBLE_EQ(config.multiplexer.section.options.get_float("norm"), 20.0);  // default
}

TEST(Config, ResolvedJsonReproducesTheSameValues) {
  const auto first = resolve_ok(test::tiny_config(5), {"backbone.num_layers=1"});
  const std::string text = to_json_text(first.to_json());
  const auto second = resolve_ok(text);
  EXPECT_EQ(to_json_text(second.to_json()), text);
  EXPECT_EQ(second.model.options.get_int("num_instances"), 5);
}

TEST(Config, UnknownKeyNamesFileSectionAndSuggestion) {
  const auto message = resolve_error(test::tiny_config(2, R"("train": {"stepz": 5})"));
  EXPECT_CONTAINS(message, "exp.json: unknown key 'stepz' in section 'train'");
  EXPECT_CONTAINS(message, "did you mean 'steps'?");
}

TEST(Config, UnknownPluginOptionNamesThePlugin) {
  const auto message = resolve_error(R"({"backbone": {"plugin": "roberta", "colour": 1},
                                         "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
                                         "task": {"plugin": "sequence_classification"}})");
  EXPECT_CONTAINS(message, "unknown key 'colour' in section 'backbone'");
  EXPECT_CONTAINS(message, "backbone 'roberta'");
}

TEST(Config, UnknownSection) {
  const auto message = resolve_error(test::tiny_config(2, R"("trian": {"steps": 5})"));
  EXPECT_CONTAINS(message, "unknown section 'trian'");
  EXPECT_CONTAINS(message, "did you mean 'train'?");
}

TEST(Config, WrongJsonTypeNamesKeyAndTypes) {
  const auto message = resolve_error(test::tiny_config(2, R"("train": {"steps": "many"})"));
  EXPECT_CONTAINS(message, "exp.json: train.steps: expected int, found string 'many'");
}

TEST(Config, WrongTypeFromSet) {
  const auto message = resolve_error(test::tiny_config(2), {"backbone.num_layers=two"});
  EXPECT_CONTAINS(message, "--set backbone.num_layers=two: backbone.num_layers: invalid value 'two'");
}

TEST(Config, OutOfRangeValueShowsTheBound) {
  const auto message = resolve_error(test::tiny_config(2), {"model.num_instances=0"});
  EXPECT_CONTAINS(message, "model.num_instances: invalid value '0'");
  EXPECT_CONTAINS(message, "in [1, 64]");
}

TEST(Config, ChoiceOutsideTheList) {
  const auto message = resolve_error(test::tiny_config(2), {"run.device=tpu"});
  EXPECT_CONTAINS(message, "run.device: invalid value 'tpu'");
  EXPECT_CONTAINS(message, "one of cpu, cuda, auto");
}

TEST(Config, UnknownPresetListsPresets) {
  const auto message = resolve_error(test::tiny_config(2), {"backbone.preset=roberta-huge"});
  EXPECT_CONTAINS(message, "unknown preset 'roberta-huge'");
  EXPECT_CONTAINS(message, "roberta-tiny");
}

TEST(Config, MissingBackbonePlugin) {
  const auto message = resolve_error(R"({"task": {"plugin": "sequence_classification"}})");
  EXPECT_CONTAINS(message, "section 'backbone' must name its plugin");
}

TEST(Config, MissingFile) {
  try {
    ExperimentConfig::from_file("/nonexistent/exp.json");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "/nonexistent/exp.json: config file not found");
  }
}

TEST(Config, InvalidJsonGivesLineAndColumn) {
  test::ScratchDir dir;
  const auto file = dir.write("bad.json", "{\n  \"train\": {\n    \"steps\": 5,,\n  }\n}\n");
  try {
    ExperimentConfig::from_file(file);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_CONTAINS(message, "bad.json:3:16: invalid JSON");
  }
}

TEST(Config, SetWithoutEqualsSign) {
  ExperimentConfig config;
  try {
    config.set("train.steps");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "--set 'train.steps': expected section.key=value");
  }
  EXPECT_THROW(config.set("steps=5"), Error);
  EXPECT_THROW(config.set(".steps=5"), Error);
}

TEST(Config, ClosestNameOnlySuggestsNearNames) {
  EXPECT_EQ(closest_name("num_layer", {"num_layers", "hidden_size"}), "num_layers");
  EXPECT_EQ(closest_name("zzz", {"num_layers", "hidden_size"}), "");
}

}  // namespace
}  // namespace datamux
