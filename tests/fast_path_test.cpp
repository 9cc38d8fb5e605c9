// The fast paths give the plain path's results: InferenceScope (InferenceMode, autocast weight
// cache) against NoGradGuard, and bf16 autocast against fp32, for every backbone and both
// demultiplexers, in inference and in training (loss and gradients). Correctness only: the
// speed of each path is measured by `datamux bench`, never asserted here.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "datamux/core/cpu_features.h"
#include "datamux/core/inference_scope.h"
#include "datamux/core/precision.h"
#include "datamux/sdk/error.h"
#include "support/test_support.h"

namespace datamux {
namespace {

using test::ModelChoice;

constexpr double kFp32Tolerance = 1e-5;  // relative, for two fp32 paths
constexpr double kBf16Tolerance = 2e-2;  // relative, bf16 against fp32

// ||a - b|| / ||b||: one number per tensor, so that a single tiny reference element cannot
// dominate as it would in an element-wise relative error.
double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  const auto reference = b.to(torch::kDouble);
  const double scale = std::max(reference.norm().item<double>(), 1e-12);
  return (a.to(torch::kDouble) - reference).norm().item<double>() / scale;
}

struct PathCase {
  std::string backbone;
  std::string demultiplexer;
};

std::string case_name(const ::testing::TestParamInfo<PathCase>& info) {
  return info.param.backbone + "_" + info.param.demultiplexer;
}

class FastPath : public ::testing::TestWithParam<PathCase> {
 protected:
  // The tiny preset without dropout, so that training mode is deterministic, with the
  // auxiliary retrieval objective (test::model_config's), so that both heads and their
  // gradients count.
  test::BuiltModel build() const {
    ModelChoice choice;
    choice.backbone = GetParam().backbone;
    choice.demultiplexer = GetParam().demultiplexer;
    choice.n = 3;
    const std::string no_dropout = choice.backbone == "lstm"
                                       ? R"("dropout": 0)"
                                       : R"("dropout": 0, "attention_dropout": 0)";
    std::string config = test::model_config(choice);
    const std::string preset = R"("preset": ")" + choice.backbone + R"(-tiny")";
    config.replace(config.find(preset), preset.size(), preset + ", " + no_dropout);
    auto built = test::build_from_config(config);
    built.model->train();
    return built;
  }

  static Batch batch() { return test::random_batch(2, 3, 9, 100, 2, 17); }

  // The task and retrieval logits of one forward; the retrieval head draws its instances from
  // the global generator, so every compared forward starts from the same seed.
  static std::vector<torch::Tensor> logits(MuxModel& model) {
    torch::manual_seed(5);
    const ForwardResult result = model.forward(batch());
    std::vector<torch::Tensor> out{result.task.logits.to(torch::kFloat)};
    if (result.auxiliary.logits.defined()) out.push_back(result.auxiliary.logits.to(torch::kFloat));
    return out;
  }

  // The loss and every parameter's gradient after one backward pass.
  static std::vector<torch::Tensor> loss_and_gradients(MuxModel& model) {
    model.zero_grad();
    torch::manual_seed(5);
    const ForwardResult result = model.forward(batch());
    result.loss.backward();
    std::vector<torch::Tensor> out{result.loss.detach().to(torch::kFloat)};
    for (const auto& parameter : model.parameters())
      if (parameter.grad().defined()) out.push_back(parameter.grad().clone());
    return out;
  }

  // Expects every tensor within `tolerance`; returns the largest relative error.
  static double expect_close(const std::vector<torch::Tensor>& fast,
                             const std::vector<torch::Tensor>& plain, double tolerance,
                             const std::string& what) {
    EXPECT_EQ(fast.size(), plain.size()) << what;
    double largest = 0;
    for (std::size_t i = 0; i < std::min(fast.size(), plain.size()); ++i) {
      const double error = relative_error(fast[i], plain[i]);
      EXPECT_LE(error, tolerance) << what << ", tensor " << i;
      largest = std::max(largest, error);
    }
    return largest;
  }

  static void skip_without_native_bf16() {
    if (!cpu_has_native_bf16()) GTEST_SKIP() << "this CPU has no AVX512_BF16 or AMX-BF16";
  }
};

TEST_P(FastPath, InferenceScopeMatchesNoGrad) {
  auto built = build();
  built.model->eval();
  std::vector<torch::Tensor> plain;
  {
    torch::NoGradGuard no_grad;
    plain = logits(*built.model);
  }
  InferenceScope inference;
  expect_close(logits(*built.model), plain, kFp32Tolerance, "InferenceScope");
}

TEST_P(FastPath, Bf16InferenceMatchesFp32) {
  skip_without_native_bf16();
  auto built = build();
  built.model->eval();
  InferenceScope inference;
  const auto plain = logits(*built.model);
  AutocastScope autocast("bf16", torch::kCPU);
  // Not bitwise equal: the products did run in bf16.
  EXPECT_GT(expect_close(logits(*built.model), plain, kBf16Tolerance, "bf16 inference"), 0.0);
}

TEST_P(FastPath, Bf16TrainingLossAndGradientsMatchFp32) {
  skip_without_native_bf16();
  auto built = build();
  const auto plain = loss_and_gradients(*built.model);
  AutocastScope autocast("bf16", torch::kCPU);
  EXPECT_GT(expect_close(loss_and_gradients(*built.model), plain, kBf16Tolerance, "bf16 training"),
            0.0);
}

INSTANTIATE_TEST_SUITE_P(EveryBackbone, FastPath,
                         ::testing::Values(PathCase{"roberta", "index"},
                                           PathCase{"albert", "index"},
                                           PathCase{"lstm", "index"},
                                           PathCase{"roberta", "mlp"},
                                           PathCase{"lstm", "mlp"}),
                         case_name);

// One AutocastScope spans a whole training run, so a weight updated in place must be seen by
// the next forward, not a bf16 copy cached before the update; and each InferenceScope starts
// from the current weights. (libtorch 1.13 caches weight casts on CUDA only; the CPU case
// guards later versions.)
class Bf16WeightCache : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (device().is_cpu() && !cpu_has_native_bf16())
      GTEST_SKIP() << "this CPU has no AVX512_BF16 or AMX-BF16";
    if (device().is_cuda() && !test::cuda_available()) GTEST_SKIP() << "no CUDA device";
    linear_->to(device());
  }
  torch::Device device() const { return torch::Device(GetParam()); }
  torch::Tensor forward() { return linear_->forward(x_.to(device())).to(torch::kCPU, torch::kFloat); }
  void double_the_weight() {
    torch::NoGradGuard no_grad;
    linear_->weight.mul_(2.0);
  }
  // What forward() gives after double_the_weight(), from its output before.
  torch::Tensor doubled(const torch::Tensor& before) const {
    return 2.0 * before - linear_->bias.detach().to(torch::kCPU);
  }

  torch::nn::Linear linear_{8, 8};
  torch::Tensor x_ = torch::randn({4, 8});
};

TEST_P(Bf16WeightCache, TrainingSeesWeightsUpdatedInsideTheScope) {
  AutocastScope autocast("bf16", device());
  const torch::Tensor before = forward();
  double_the_weight();
  EXPECT_LE(relative_error(forward(), doubled(before)), kBf16Tolerance);
}

TEST_P(Bf16WeightCache, InferenceScopesDoNotShareCachedWeights) {
  AutocastScope autocast("bf16", device());
  torch::Tensor before;
  {
    InferenceScope inference;
    before = forward();
  }
  double_the_weight();
  InferenceScope inference;
  EXPECT_LE(relative_error(forward(), doubled(before)), kBf16Tolerance);
}

INSTANTIATE_TEST_SUITE_P(OnEachDevice, Bf16WeightCache, ::testing::Values("cpu", "cuda"));

TEST(Bf16Autocast, CpuRunsAreRefusedExactlyWhenTheCpuLacksNativeBf16) {
  if (cpu_has_native_bf16()) {
    EXPECT_NO_THROW(check_precision("bf16", torch::kCPU));
    EXPECT_FALSE(cpu_bf16_features().empty());
  } else {
    try {
      check_precision("bf16", torch::kCPU);
      ADD_FAILURE() << "bf16 accepted on a CPU without native bf16";
    } catch (const Error& error) {
      EXPECT_CONTAINS(error.what(), "run.precision: bf16 on CPU needs AVX512_BF16");
    }
    EXPECT_TRUE(cpu_bf16_features().empty());
  }
  EXPECT_THROW(check_precision("fp16", torch::kCPU), Error);
}

}  // namespace
}  // namespace datamux
