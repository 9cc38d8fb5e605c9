// Every backbone x multiplexer x demultiplexer for N in {1, 2, 5}, on CPU and (when a GPU is
// present) CUDA: shapes, a finite loss, gradients where they belong, seeds that matter.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/test_support.h"

namespace datamux {
namespace {

using test::ModelChoice;

std::string case_name(const ModelChoice& c) {
  return c.backbone + "_" + c.multiplexer + "_" + c.demultiplexer + "_N" + std::to_string(c.n) +
         "_" + c.device;
}

class Combination : public ::testing::TestWithParam<ModelChoice> {
 protected:
  void SetUp() override {
    if (GetParam().device == "cuda" && !test::cuda_available())
      GTEST_SKIP() << "no CUDA device";
  }

  // Task logits of a freshly built model (evaluation mode: no dropout) on a fixed batch.
  torch::Tensor logits_for_seed(std::int64_t seed) {
    ModelChoice choice = GetParam();
    choice.seed = seed;
    auto built = test::build_from_config(test::model_config(choice));
    built.model->to(device());
    built.model->eval();
    torch::NoGradGuard no_grad;
    return built.model->forward(batch()).task.logits.cpu();
  }

  torch::Device device() const { return torch::Device(GetParam().device); }

  Batch batch() const {
    Batch b = test::random_batch(kGroups, GetParam().n, kLength, 100, 2, 21);
    return Batch{b.input_ids.to(device()), b.attention_mask.to(device()), b.labels.to(device()),
                 b.num_instances};
  }

  static constexpr std::int64_t kGroups = 3, kLength = 7, kWidth = 64;
};

TEST_P(Combination, ShapesLossAndGradients) {
  const ModelChoice& choice = GetParam();
  auto built = test::build_from_config(test::model_config(choice));
  MuxModel& model = *built.model;
  model.to(device());
  model.train();
  const std::int64_t n = choice.n, rows = kGroups * n;
  const std::int64_t prefix = model.prefix_length();

  const ForwardResult result = model.forward(batch());
  EXPECT_EQ(result.muxed_hidden.sizes(),
            (std::vector<std::int64_t>{kGroups, prefix + kLength, kWidth}));
  EXPECT_EQ(result.states.sentence.sizes(), (std::vector<std::int64_t>{rows, kWidth}));
  EXPECT_EQ(model.demultiplexer().tokens(result.muxed_hidden).sizes(),
            (std::vector<std::int64_t>{rows, kLength, kWidth}));
  EXPECT_EQ(result.task.logits.sizes(), (std::vector<std::int64_t>{rows, 2}));
  ASSERT_TRUE(torch::isfinite(result.loss).item<bool>()) << result.loss;

  result.loss.backward();
  for (const auto& parameter : model.named_parameters()) {
    if (!parameter.value().requires_grad()) continue;
    const torch::Tensor grad = parameter.value().grad();
    ASSERT_TRUE(grad.defined()) << "no gradient for " << parameter.key();
    EXPECT_TRUE(torch::isfinite(grad).all().item<bool>()) << parameter.key();
  }
  // The multiplexer's fixed draws are buffers: never trained, never given a gradient.
  EXPECT_EQ(model.multiplexer().named_parameters().size(), 0u);
  for (const auto& buffer : model.named_buffers())
    EXPECT_FALSE(buffer.value().requires_grad()) << buffer.key();
}

TEST_P(Combination, SameSeedSameOutputsOtherSeedOtherOutputs) {
  const torch::Tensor first = logits_for_seed(3);
  const torch::Tensor again = logits_for_seed(3);
  const torch::Tensor other = logits_for_seed(4);
  if (GetParam().device == "cpu")
    EXPECT_TRUE(torch::equal(first, again));
  else  // some CUDA kernels are not bitwise deterministic
    EXPECT_TRUE(torch::allclose(first, again, 1e-5, 1e-6));
  EXPECT_FALSE(torch::allclose(first, other, 1e-4, 1e-5));
}

std::vector<ModelChoice> all_combinations() {
  std::vector<ModelChoice> out;
  for (const char* device : {"cpu", "cuda"}) {
    for (const char* backbone : {"roberta", "albert", "lstm"}) {
      for (const char* multiplexer : {"gaussian_hadamard", "random_ortho", "binary_hadamard"})
        for (const char* demultiplexer : {"index", "mlp"})
          for (std::int64_t n : {1, 2, 5})
            out.push_back({backbone, multiplexer, demultiplexer, n, 3, device});
      out.push_back({backbone, "none", "none", 1, 3, device});  // the non-multiplexed baseline
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(All, Combination, ::testing::ValuesIn(all_combinations()),
                         [](const ::testing::TestParamInfo<ModelChoice>& info) {
                           return case_name(info.param);
                         });

}  // namespace

namespace test {
void PrintTo(const ModelChoice& choice, std::ostream* out) { *out << case_name(choice); }
}  // namespace test

}  // namespace datamux
