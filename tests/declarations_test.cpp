// What components declare through the SDK before anything is built (sdk/registrar.h,
// Declarations; Task::reads), and what the core does with it: the backbone sized for the
// declared prefix, the vocabulary reserving the declared tokens, only the states the heads
// read computed, the auxiliary objective only where a component declares itself one.
#include <gtest/gtest.h>

#include "datamux/core/plugin_host.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/resolved_config.h"
#include "support/test_support.h"

namespace datamux {
namespace {

DemultiplexerLayout layout_of(PluginHost& host, const std::string& demultiplexer, std::int64_t n) {
  return host.require<Demultiplexer>(demultiplexer).spec.declares.layout(Options(), n);
}

TEST(PluginDeclarations, IndexPrefixIsNPlusOneAndReservesItsTokens) {
  PluginHost host(plugin_search_path({}));
  for (std::int64_t n : {1, 2, 5, 20, 64}) {
    const DemultiplexerLayout layout = layout_of(host, "index", n);
    EXPECT_EQ(layout.prefix_length, n + 1) << "N = " << n;
    // The same 66 tokens at every N, so one tokenizer serves a whole sweep.
    ASSERT_EQ(layout.reserved_tokens.size(), 66u);
    EXPECT_EQ(layout.reserved_tokens.front(), "<mux_cls>");
    EXPECT_EQ(layout.reserved_tokens[1], "<mux_fill>");
    EXPECT_EQ(layout.reserved_tokens.back(), "<mux_idx63>");
  }
  EXPECT_CONTAINS(test::error_of([&] { layout_of(host, "index", 65); }), "exceeds the 64 index tokens");
}

TEST(PluginDeclarations, PrefixFreeDemultiplexersReserveNothing) {
  PluginHost host(plugin_search_path({}));
  for (const char* name : {"mlp", "none"}) {
    const DemultiplexerLayout layout = layout_of(host, name, 1);
    EXPECT_EQ(layout.prefix_length, 0) << name;
    EXPECT_TRUE(layout.reserved_tokens.empty()) << name;
  }
}

TEST(PluginDeclarations, ResolvedConfigCarriesTheLayoutAndTheBackboneIsSizedForIt) {
  for (const char* demultiplexer : {"index", "mlp"}) {
    test::ModelChoice choice;
    choice.demultiplexer = demultiplexer;
    choice.n = 3;
    auto built = test::build_from_config(test::model_config(choice));
    const std::int64_t prefix = std::string(demultiplexer) == "index" ? 4 : 0;
    EXPECT_EQ(built.config.layout.prefix_length, prefix) << demultiplexer;
    EXPECT_EQ(built.model->prefix_length(), prefix) << demultiplexer;
    // max_seq_length 24 plus the prefix: an input of exactly that length runs.
    const Batch batch = test::random_batch(1, 3, 24, 100, 2, 5);
    const ForwardResult result = built.model->forward(batch);
    EXPECT_EQ(result.muxed_hidden.size(1), 24 + prefix) << demultiplexer;
  }
}

TEST(PluginDeclarations, ObjectiveFlagOfEachTask) {
  PluginHost host(plugin_search_path({}));
  EXPECT_TRUE(is_objective(host, "retrieval"));
  EXPECT_FALSE(is_objective(host, "sequence_classification"));
  EXPECT_FALSE(is_objective(host, "token_classification"));
}

TEST(PluginDeclarations, OnlyTheStatesTheHeadsReadAreComputed) {
  const auto forward = [](const std::string& extra) {
    auto built = test::build_from_config(test::tiny_config(2, extra));
    return built.model->forward(test::random_batch(2, 2, 6, 100, 2, 3));
  };
  const std::string no_auxiliary = R"("model": {"auxiliary_weight": 0})";
  // cls pooling reads the sentence states only, mean pooling the token states only.
  ForwardResult result = forward(no_auxiliary);
  EXPECT_TRUE(result.states.sentence.defined());
  EXPECT_FALSE(result.states.tokens.defined());
  result = forward(no_auxiliary + R"(, "task": {"pooling": "mean"})");
  EXPECT_FALSE(result.states.sentence.defined());
  EXPECT_TRUE(result.states.tokens.defined());
  // The auxiliary retrieval objective reads the token states too.
  result = forward("");
  EXPECT_TRUE(result.states.sentence.defined());
  EXPECT_TRUE(result.states.tokens.defined());
  EXPECT_TRUE(result.auxiliary.loss.defined());
}

TEST(PluginDeclarations, TaskOutputCarriesTheTargetsItsMetricScores) {
  auto built = test::build_from_config(test::tiny_config(2));
  const Batch batch = test::random_batch(2, 2, 6, 100, 2, 8);
  const ForwardResult result = built.model->forward(batch);
  // The classification targets are the labels; retrieval's are the drawn tokens, one row per
  // group and position, each a token of one of the group's instances or ignored.
  EXPECT_TRUE(torch::equal(result.task.targets, batch.labels));
  const torch::Tensor drawn = result.auxiliary.targets;
  ASSERT_EQ(drawn.sizes(), (std::vector<std::int64_t>{2, 6}));
  for (std::int64_t b = 0; b < 2; ++b)
    for (std::int64_t t = 0; t < 6; ++t) {
      const std::int64_t target = drawn[b][t].item<std::int64_t>();
      if (target == kIgnoreLabel) continue;
      EXPECT_TRUE(target == batch.input_ids[2 * b][t].item<std::int64_t>() ||
                  target == batch.input_ids[2 * b + 1][t].item<std::int64_t>());
    }
  auto metric = built.model->task().make_metric();
  metric->update(result.task.logits, result.task.targets, batch);
  EXPECT_EQ(metric->compute().back().second, 4.0);  // "examples": the four labelled rows
}

TEST(PluginDeclarations, AuxiliaryMustBeAnObjectiveAndTheTaskMustNotBeOne) {
  PluginHost host(plugin_search_path({}));
  const auto resolve = [&](const std::string& extra) {
    return resolve_config(ExperimentConfig::from_json_text(test::tiny_config(2, extra), "<test>"), host);
  };
  EXPECT_CONTAINS(test::error_of([&] { resolve(R"("auxiliary": {"plugin": "token_classification"})"); }),
                  "auxiliary.plugin: task 'token_classification' does not declare itself an objective");
  EXPECT_CONTAINS(test::error_of([&] {
                    resolve(R"("task": {"plugin": "retrieval"}, "auxiliary": {"plugin": "retrieval"})");
                  }),
                  "the task 'retrieval' is an objective itself");
  // A weight of 0 keeps the section (validated) but trains the task alone.
  const ResolvedConfig baseline = resolve(R"("model": {"auxiliary_weight": 0})");
  EXPECT_FALSE(baseline.auxiliary.has_value());
  EXPECT_TRUE(resolve("").auxiliary.has_value());
}

TEST(PluginDeclarations, EveryComponentSectionNamesItsPlugin) {
  PluginHost host(plugin_search_path({}));
  const std::string message = test::error_of([&] {
    resolve_config(ExperimentConfig::from_json_text(R"({
      "backbone": {"plugin": "roberta"}, "multiplexer": {"plugin": "gaussian_hadamard"},
      "task": {"plugin": "sequence_classification"}})", "<inline>"), host);
  });
  EXPECT_CONTAINS(message, "section 'demultiplexer' must name its plugin");
}

TEST(PluginDeclarations, ADemultiplexerWithoutALayoutIsRefusedAtLoad) {
  PluginHost host(plugin_search_path({test::fixture_dir("no_layout").string()}));
  const std::string message = test::error_of([&] { host.load_all(); });
  EXPECT_CONTAINS(message, "fixture_no_layout.so");
  EXPECT_CONTAINS(message, "demultiplexer 'no_layout' declares no layout");
}

}  // namespace
}  // namespace datamux
