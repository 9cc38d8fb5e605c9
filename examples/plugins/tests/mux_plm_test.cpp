// The example plugin's own tests: the components' shapes and behaviour, and the built library
// loaded the way datamux loads it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "contextual_multiplexer.h"
#include "datamux/core/plugin_host.h"
#include "gru_backbone.h"

namespace mux_plm {
namespace {

GruConfig small_gru() {
  GruConfig config;
  config.vocab_size = 50;
  config.hidden_size = 16;
  config.dropout = 0.0;
  return config;
}

ContextualConfig small_contextual(Context context) {
  ContextualConfig config;
  config.num_instances = 3;
  config.hidden_size = 16;
  config.heads = 2;
  config.dropout = 0.0;
  config.context = context;
  config.seed = 7;
  return config;
}

TEST(GruBackbone, EmbedsInstancesAndEncodesTheMixture) {
  torch::manual_seed(0);
  GruBackbone gru(small_gru());
  const auto ids = torch::randint(0, 50, {6, 9}, torch::kLong);
  const auto embedded = gru.embed(ids);
  EXPECT_EQ(embedded.sizes(), (std::vector<std::int64_t>{6, 9, 16}));
  const auto mask = torch::ones({2, 9}, torch::kBool);
  EXPECT_EQ(gru.encode(embedded.view({2, 3, 9, 16}).mean(1), mask).sizes(),
            (std::vector<std::int64_t>{2, 9, 16}));
}

TEST(GruBackbone, PaddingChangesNothingAtRealPositions) {
  torch::manual_seed(0);
  GruBackbone gru(small_gru());
  gru.eval();
  const auto mixed = torch::randn({2, 8, 16});
  auto mask = torch::ones({2, 8}, torch::kBool);
  mask[1].slice(0, 5) = false;  // the second group's last three positions are padding
  auto other = mixed.clone();
  other[1].slice(0, 5) = 100.0;  // whatever the padding holds
  const auto a = gru.encode(mixed, mask), b = gru.encode(other, mask);
  EXPECT_TRUE(torch::allclose(a[1].slice(0, 0, 5), b[1].slice(0, 0, 5)));
  EXPECT_TRUE(torch::allclose(a[0], b[0]));
  EXPECT_EQ(b[1].slice(0, 5).abs().sum().item<double>(), 0.0);
}

TEST(ContextualMultiplexer, MixesEachGroupIntoOne) {
  torch::manual_seed(0);
  ContextualMultiplexer mux(small_contextual(Context::kInstances));
  EXPECT_EQ(mux.mix(torch::randn({6, 5, 16})).sizes(), (std::vector<std::int64_t>{2, 5, 16}));
}

TEST(ContextualMultiplexer, PhiIsAFixedNormalisedBufferFromTheSeed) {
  ContextualMultiplexer a(small_contextual(Context::kInstances));
  ContextualMultiplexer b(small_contextual(Context::kInstances));
  EXPECT_TRUE(torch::equal(a.phi(), b.phi()));
  EXPECT_TRUE(torch::allclose(a.phi().norm(2, {1}), torch::full({3}, 20.0)));
  for (const auto& parameter : a.named_parameters()) EXPECT_NE(parameter.key(), "phi");
  EXPECT_EQ(a.named_buffers().size(), 1u);
}

// Instance 0's contextual embedding depends on instance 1 when the layer attends across
// instances, and only on itself when it attends along positions.
TEST(ContextualMultiplexer, ContextComesFromTheOtherInstancesOfTheGroup) {
  for (const Context context : {Context::kInstances, Context::kPositions}) {
    torch::manual_seed(0);
    ContextualMultiplexer mux(small_contextual(context));
    mux.eval();
    const auto embedded = torch::randn({3, 4, 16});
    auto changed = embedded.clone();
    changed[1] += 1.0;
    const auto first = mux.contextualise(embedded)[0], second = mux.contextualise(changed)[0];
    EXPECT_EQ(torch::allclose(first, second), context == Context::kPositions);
  }
}

TEST(ContextualMultiplexer, RefusesEmbeddingsThatAreNotWholeGroups) {
  ContextualMultiplexer mux(small_contextual(Context::kInstances));
  try {
    mux.mix(torch::randn({4, 5, 16}));
    FAIL() << "4 instances are not groups of 3";
  } catch (const datamux::Error& error) {
    EXPECT_NE(std::string(error.what()).find("N = 3"), std::string::npos) << error.what();
  }
}

TEST(Plugin, LoadsAsDatamuxLoadsIt) {
  datamux::PluginHost host({MUX_PLM_PLUGIN_DIR});
  host.load_all();
  ASSERT_EQ(host.loaded().size(), 1u);
  EXPECT_EQ(host.loaded()[0]->name, "mux_plm");
  EXPECT_NE(host.registry().find<datamux::Backbone>("gru"), nullptr);
  EXPECT_NE(host.registry().find<datamux::Multiplexer>("contextual"), nullptr);
}

}  // namespace
}  // namespace mux_plm
