// Forward shapes through the assembled model and the multiplexer's math.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "datamux/core/json_file.h"
#include "support/test_support.h"

namespace datamux {
namespace {

class ForwardShapes : public ::testing::TestWithParam<std::int64_t> {};

TEST_P(ForwardShapes, MuxedDemuxedAndLogits) {
  const std::int64_t n = GetParam(), groups = 3, length = 9, d = 64, classes = 2;
  auto built = test::build_from_config(test::tiny_config(n));
  const Batch batch = test::random_batch(groups, n, length, 100, classes, 11);
  const ForwardResult result = built.model->forward(batch);
  EXPECT_EQ(result.muxed_hidden.sizes(), (std::vector<std::int64_t>{groups, length + n + 1, d}));
  EXPECT_EQ(result.states.sentence.sizes(), (std::vector<std::int64_t>{groups * n, d}));
  EXPECT_EQ(result.task.logits.sizes(), (std::vector<std::int64_t>{groups * n, classes}));
  const torch::Tensor tokens = built.model->demultiplexer().tokens(result.muxed_hidden);
  EXPECT_EQ(tokens.sizes(), (std::vector<std::int64_t>{groups * n, length, d}));
  EXPECT_TRUE(torch::isfinite(result.loss).item<bool>());
}

INSTANTIATE_TEST_SUITE_P(N, ForwardShapes, ::testing::Values(1, 2, 5));

// The multiplexer on its own, as the assembled model holds it.
struct MuxFixture {
  static std::string config(std::int64_t n, const std::string& extra_mux_options) {
    return R"({
      "model": {"num_instances": )" + std::to_string(n) + R"(},
      "backbone": {"plugin": "roberta", "preset": "roberta-tiny"},
      "multiplexer": {"plugin": "gaussian_hadamard")" + extra_mux_options + R"(},
      "task": {"plugin": "sequence_classification"}})";
  }
  explicit MuxFixture(std::int64_t n, const std::string& extra_mux_options = "")
      : built(test::build_from_config(config(n, extra_mux_options))) {}
  Multiplexer& mux() { return built.model->multiplexer(); }
  torch::Tensor phi() { return mux().named_buffers(false)["phi"]; }
  test::BuiltModel built;
};

TEST(GaussianHadamard, AveragesHadamardProductsLikeAnExplicitLoop) {
  const std::int64_t n = 4, groups = 2, length = 5, d = 64;
  MuxFixture fixture(n);
  const torch::Tensor phi = fixture.phi();
  ASSERT_EQ(phi.sizes(), (std::vector<std::int64_t>{n, d}));
  const torch::Tensor embedded = torch::randn({groups * n, length, d});
  const torch::Tensor mixed = fixture.mux().mix(embedded);
  ASSERT_EQ(mixed.sizes(), (std::vector<std::int64_t>{groups, length, d}));
  for (std::int64_t b = 0; b < groups; ++b)
    for (std::int64_t t = 0; t < length; ++t)
      for (std::int64_t k = 0; k < d; ++k) {
        double sum = 0;
        for (std::int64_t i = 0; i < n; ++i)
          sum += phi[i][k].item<double>() * embedded[b * n + i][t][k].item<double>();
        ASSERT_NEAR(mixed[b][t][k].item<double>(), sum / n, 1e-5) << b << "," << t << "," << k;
      }
}

TEST(GaussianHadamard, VectorsHaveTheConfiguredNorm) {
  MuxFixture fixture(5, R"(, "norm": 7.5)");
  const torch::Tensor norms = fixture.phi().norm(2, 1);
  EXPECT_TRUE(torch::allclose(norms, torch::full_like(norms, 7.5), 1e-5, 1e-5)) << norms;
  MuxFixture default_norm(3);
  EXPECT_TRUE(torch::allclose(default_norm.phi().norm(2, 1), torch::full({3}, 20.0), 1e-5, 1e-5));
}

TEST(GaussianHadamard, FixedVectorsReceiveNoGradient) {
  MuxFixture fixture(2);
  EXPECT_FALSE(fixture.phi().requires_grad());
  for (const auto& parameter : fixture.mux().named_parameters())
    ADD_FAILURE() << "fixed multiplexer has a trainable parameter " << parameter.key();
  const Batch batch = test::random_batch(2, 2, 6, 100, 2, 5);
  fixture.built.model->forward(batch).loss.backward();
  EXPECT_FALSE(fixture.phi().grad().defined());
}

TEST(GaussianHadamard, LearnableVectorsAreParameters) {
  MuxFixture fixture(2, R"(, "learnable": true)");
  const auto parameters = fixture.mux().named_parameters(false);
  ASSERT_TRUE(parameters.contains("phi"));
  EXPECT_TRUE(parameters["phi"].requires_grad());
}

TEST(GaussianHadamard, VectorsComeFromTheRunSeedAndAreSavedWithTheModel) {
  MuxFixture first(3), again(3);
  EXPECT_TRUE(torch::equal(first.phi(), again.phi()));
  auto other_seed = test::build_from_config(R"({"run": {"seed": 99}, "model": {"num_instances": 3},
      "backbone": {"plugin": "roberta", "preset": "roberta-tiny"},
      "task": {"plugin": "sequence_classification"}})");
  EXPECT_FALSE(torch::equal(first.phi(), other_seed.model->multiplexer().named_buffers()["phi"]));

  test::ScratchDir dir;
  const auto file = (dir.path() / "model.pt").string();
  torch::serialize::OutputArchive out;
  first.built.model->save(out);
  out.save_to(file);
  torch::serialize::InputArchive in;
  in.load_from(file);
  other_seed.model->load(in);  // the same architecture, other draws: loading restores phi
  EXPECT_TRUE(torch::equal(first.phi(), other_seed.model->multiplexer().named_buffers()["phi"]));
}

TEST(IndexDemultiplexer, PrefixMarksEachInstancesSlot) {
  const std::int64_t n = 3;
  auto built = test::build_from_config(test::tiny_config(n));
  const SpecialTokens tokens;
  const torch::Tensor ids = torch::full({2 * n, 4}, tokens.first_ordinary(), torch::kLong);
  const torch::Tensor prefixed = built.model->demultiplexer().add_prefix(ids);
  ASSERT_EQ(prefixed.sizes(), (std::vector<std::int64_t>{2 * n, 4 + n + 1}));
  for (std::int64_t row = 0; row < 2 * n; ++row) {
    for (std::int64_t slot = 0; slot < n; ++slot)
      EXPECT_EQ(prefixed[row][slot].item<std::int64_t>(),
                slot == row % n ? tokens.first_index + slot : tokens.mux_filler);
    EXPECT_EQ(prefixed[row][n].item<std::int64_t>(), tokens.mux_cls);
  }
}

}  // namespace
}  // namespace datamux
