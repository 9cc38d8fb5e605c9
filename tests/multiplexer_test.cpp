// The multiplexers' math, each on its own as the assembled model holds it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/test_support.h"

namespace datamux {
namespace {

// The multiplexer on its own, as the assembled model holds it.
struct MuxFixture {
  static std::string config(std::int64_t n, const std::string& plugin,
                            const std::string& extra_mux_options) {
    return R"({
      "model": {"num_instances": )" + std::to_string(n) + R"(},
      "backbone": {"plugin": "roberta", "preset": "roberta-tiny"},
      "multiplexer": {"plugin": ")" + plugin + "\"" + extra_mux_options + R"(},
      "demultiplexer": {"plugin": "index"},
      "task": {"plugin": "sequence_classification"}, "auxiliary": {"plugin": "retrieval"}})";
  }
  explicit MuxFixture(std::int64_t n, const std::string& extra_mux_options = "",
                      const std::string& plugin = "gaussian_hadamard")
      : built(test::build_from_config(config(n, plugin, extra_mux_options))) {}
  Multiplexer& mux() { return built.model->multiplexer(); }
  torch::Tensor buffer(const std::string& name) { return mux().named_buffers(false)[name]; }
  torch::Tensor phi() { return buffer("phi"); }
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
      "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
      "task": {"plugin": "sequence_classification"}, "auxiliary": {"plugin": "retrieval"}})");
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

TEST(RandomOrtho, MatricesAreOrthogonal) {
  const std::int64_t n = 3, d = 64;
  MuxFixture fixture(n, "", "random_ortho");
  const torch::Tensor q = fixture.buffer("matrices").to(torch::kDouble);
  ASSERT_EQ(q.sizes(), (std::vector<std::int64_t>{n, d, d}));
  const torch::Tensor identity = torch::eye(d, torch::kDouble).expand({n, d, d});
  EXPECT_LT((q.transpose(1, 2).matmul(q) - identity).abs().max().item<double>(), 1e-5);
  EXPECT_FALSE(torch::equal(q[0], q[1]));  // one matrix per instance
}

TEST(RandomOrtho, SumsRotatedInputsOverSqrtN) {
  const std::int64_t n = 2, d = 64;
  MuxFixture fixture(n, "", "random_ortho");
  const torch::Tensor q = fixture.buffer("matrices");
  const torch::Tensor e = torch::randn({n, 3, d});  // one group
  const torch::Tensor expected = (e[0].matmul(q[0]) + e[1].matmul(q[1])) / std::sqrt(2.0);
  EXPECT_TRUE(torch::allclose(fixture.mux().mix(e)[0], expected, 1e-4, 1e-5));
}

TEST(BinaryHadamard, MasksPartitionTheWidthWithoutOverlap) {
  const std::int64_t n = 5, d = 64;
  MuxFixture fixture(n, "", "binary_hadamard");
  const torch::Tensor masks = fixture.buffer("masks");
  ASSERT_EQ(masks.sizes(), (std::vector<std::int64_t>{n, d}));
  EXPECT_TRUE(torch::equal(masks.sum(0), torch::ones({d}, masks.options())));  // each dim once
  EXPECT_TRUE(((masks == 0) | (masks == 1)).all().item<bool>());
  for (std::int64_t i = 0; i < n; ++i) {  // contiguous chunks of d / N, the last one to d
    const auto ones = masks[i].nonzero().flatten();
    EXPECT_EQ(ones[0].item<std::int64_t>(), i * (d / n));
    EXPECT_EQ(ones[-1].item<std::int64_t>(), i + 1 == n ? d - 1 : (i + 1) * (d / n) - 1);
    EXPECT_EQ(ones.numel(), ones[-1].item<std::int64_t>() - ones[0].item<std::int64_t>() + 1);
  }
}

TEST(BinaryHadamard, OverlapSharesDimensionsWithNeighbours) {
  MuxFixture fixture(4, R"(, "overlap": 2)", "binary_hadamard");
  const torch::Tensor coverage = fixture.buffer("masks").sum(0);
  EXPECT_GT(coverage.max().item<double>(), 1.0);
  EXPECT_GE(coverage.min().item<double>(), 1.0);
}

}  // namespace
}  // namespace datamux
