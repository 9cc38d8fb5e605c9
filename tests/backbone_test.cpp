// Properties particular to each backbone.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "support/test_support.h"

namespace datamux {
namespace {

std::int64_t parameter_count(torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& parameter : module.parameters()) count += parameter.numel();
  return count;
}

test::BuiltModel backbone_model(const std::string& backbone, const std::string& options) {
  return test::build_from_config(R"({
    "model": {"num_instances": 2},
    "backbone": {"plugin": ")" + backbone + R"(", "preset": ")" + backbone + R"(-tiny")" +
                                 options + R"(},
    "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
    "task": {"plugin": "sequence_classification"}, "auxiliary": {"plugin": "retrieval"}})");
}

TEST(Albert, OneSharedGroupMakesTheSizeIndependentOfDepth) {
  auto shallow = backbone_model("albert", R"(, "num_layers": 2)");
  auto deep = backbone_model("albert", R"(, "num_layers": 6)");
  EXPECT_EQ(parameter_count(shallow.model->backbone()), parameter_count(deep.model->backbone()));
  auto two_groups = backbone_model("albert", R"(, "num_layers": 6, "num_hidden_groups": 2)");
  EXPECT_GT(parameter_count(two_groups.model->backbone()),
            parameter_count(deep.model->backbone()));
  // RoBERTa does not share: depth costs parameters.
  auto roberta_shallow = backbone_model("roberta", R"(, "num_layers": 2)");
  auto roberta_deep = backbone_model("roberta", R"(, "num_layers": 6)");
  EXPECT_GT(parameter_count(roberta_deep.model->backbone()),
            parameter_count(roberta_shallow.model->backbone()));
}

TEST(Lstm, OutputWidthIsTwiceTheHiddenSize) {
  auto built = backbone_model("lstm", R"(, "embedding_size": 48, "hidden_size": 24)");
  Backbone& lstm = built.model->backbone();
  EXPECT_EQ(lstm.hidden_size(), 48);
  const torch::Tensor out =
      lstm.encode(torch::randn({3, 5, 48}), torch::ones({3, 5}, torch::kBool));
  EXPECT_EQ(out.sizes(), (std::vector<std::int64_t>{3, 5, 48}));
}

TEST(Lstm, PadsDoNotChangeTheRealPositions) {
  auto built = backbone_model("lstm", R"(, "dropout": 0)");
  Backbone& lstm = built.model->backbone();
  lstm.eval();
  torch::NoGradGuard no_grad;
  const std::int64_t d = lstm.hidden_size();
  torch::Tensor x = torch::randn({2, 6, d});
  torch::Tensor mask = torch::ones({2, 6}, torch::kBool);
  mask[1].slice(0, 4).fill_(false);  // the second sequence has 4 real positions
  const torch::Tensor before = lstm.encode(x, mask);
  x[1].slice(0, 4).normal_();  // change only the pads
  const torch::Tensor after = lstm.encode(x, mask);
  EXPECT_TRUE(torch::allclose(before[1].slice(0, 0, 4), after[1].slice(0, 0, 4), 1e-5, 1e-6));
}

TEST(Lstm, TimeMajorReferenceIsATimeMajorLstmOverTheGroups) {
  const std::string sizes = R"(, "dropout": 0, "embedding_size": 16, "hidden_size": 8, "num_layers": 2)";
  auto reference = backbone_model("lstm", sizes + R"(, "time_major_reference": true)");
  auto ours = backbone_model("lstm", sizes);
  Backbone& lstm = reference.model->backbone();
  lstm.eval();
  ours.model->backbone().eval();
  torch::NoGradGuard no_grad;
  // The same weights in both models, and in an explicit time-major torch LSTM: what the
  // reference's nn.LSTM without batch_first computes on its (groups, length, d) tensor.
  auto explicit_lstm = torch::nn::LSTM(
      torch::nn::LSTMOptions(16, 8).num_layers(2).bidirectional(true).batch_first(false));
  explicit_lstm->eval();
  const auto weights = lstm.named_parameters();
  for (auto& parameter : explicit_lstm->named_parameters())
    parameter.value().copy_(weights["lstm." + parameter.key()]);
  for (auto& parameter : ours.model->backbone().named_parameters())
    parameter.value().copy_(weights[parameter.key()]);

  const torch::Tensor x = torch::randn({3, 5, 16});  // 3 groups of length 5
  torch::Tensor mask = torch::ones({3, 5}, torch::kBool);
  mask[2].slice(0, 3).fill_(false);  // the reference ignores pads: so must the option
  const torch::Tensor out = lstm.encode(x, mask);
  const torch::Tensor expected = std::get<0>(explicit_lstm->forward(x));
  ASSERT_EQ(out.sizes(), expected.sizes());
  EXPECT_TRUE(torch::allclose(out, expected, 1e-5, 1e-6));
  // Along each sequence (the default) is a different function of the same weights ...
  const torch::Tensor along = ours.model->backbone().encode(x, torch::ones({3, 5}, torch::kBool));
  EXPECT_FALSE(torch::allclose(out, along, 1e-3, 1e-3));
  // ... and under the option a group's output depends on the other groups of the batch.
  torch::Tensor changed = x.clone();
  changed[0].normal_();
  EXPECT_FALSE(torch::allclose(lstm.encode(changed, mask)[2], out[2], 1e-3, 1e-3));
  EXPECT_TRUE(torch::allclose(ours.model->backbone().encode(changed, mask)[2],
                              ours.model->backbone().encode(x, mask)[2], 1e-5, 1e-6));
}

TEST(AttentionMask, PadsAreMaskedByDefaultAndAttendedWhenAskedTo) {
  // model.attention_mask, the switch the study's attention-to-pads question turns (a sweep sets
  // it with "set": ["model.attention_mask=false"]), for both transformer backbones.
  for (const std::string plugin : {"roberta", "albert"})
  for (const bool masked : {true, false}) {
    auto built = test::build_from_config(
        R"({"model": {"num_instances": 1, "attention_mask": )" + std::string(masked ? "true" : "false") +
        R"(}, "backbone": {"plugin": ")" + plugin + R"(", "preset": ")" + plugin + R"(-tiny", "dropout": 0,
        "attention_dropout": 0}, "multiplexer": {"plugin": "gaussian_hadamard"},
        "demultiplexer": {"plugin": "index"}, "task": {"plugin": "sequence_classification"}})");
    Backbone& backbone = built.model->backbone();
    torch::NoGradGuard no_grad;
    torch::Tensor x = torch::randn({1, 6, 64});
    torch::Tensor mask = torch::ones({1, 6}, torch::kBool);
    mask[0].slice(0, 4).fill_(false);
    const torch::Tensor before = backbone.encode(x, mask);
    x[0].slice(0, 4).normal_();
    const torch::Tensor after = backbone.encode(x, mask);
    EXPECT_EQ(torch::allclose(before[0].slice(0, 0, 4), after[0].slice(0, 0, 4), 1e-5, 1e-6), masked)
        << plugin << " attention_mask " << masked;
  }
}

}  // namespace
}  // namespace datamux
