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

TEST(IndexDemultiplexer, PrefixMarksEachInstancesSlot) {
  const std::int64_t n = 3;
  auto built = test::build_from_config(test::tiny_config(n));
  // build_from_config places the reserved tokens in declared order from id 4: <mux_cls> 4,
  // <mux_fill> 5, <mux_idx0> 6, ...
  ASSERT_EQ(built.config.layout.reserved_tokens.size(), 66u);
  EXPECT_EQ(built.config.layout.reserved_tokens[0], "<mux_cls>");
  EXPECT_EQ(built.config.layout.reserved_tokens[1], "<mux_fill>");
  EXPECT_EQ(built.config.layout.reserved_tokens[2], "<mux_idx0>");
  const std::int64_t cls = 4, filler = 5, first_index = 6;
  const torch::Tensor ids = torch::full({2 * n, 4}, test::kFirstOrdinaryId, torch::kLong);
  const torch::Tensor prefixed = built.model->demultiplexer().add_prefix(ids);
  ASSERT_EQ(prefixed.sizes(), (std::vector<std::int64_t>{2 * n, 4 + n + 1}));
  EXPECT_EQ(built.model->prefix_length(), n + 1);
  for (std::int64_t row = 0; row < 2 * n; ++row) {
    for (std::int64_t slot = 0; slot < n; ++slot)
      EXPECT_EQ(prefixed[row][slot].item<std::int64_t>(), slot == row % n ? first_index + slot : filler);
    EXPECT_EQ(prefixed[row][n].item<std::int64_t>(), cls);
  }
}

}  // namespace
}  // namespace datamux
