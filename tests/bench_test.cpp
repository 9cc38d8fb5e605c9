// `datamux bench`: the components' analytic FLOP counts against hand counts, and the command's
// output fields, JSON and usage errors (correctness only; no timing is asserted).
#include <gtest/gtest.h>

#include <sstream>

#include "datamux/core/json_file.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// Groups B = 3 of N = 2 instances, L = 5 tokens each; the index prefix makes L' = 8.
constexpr std::int64_t kGroups = 3, kN = 2, kLength = 5;

std::string tiny_model(const std::string& backbone, const std::string& multiplexer = "gaussian_hadamard",
                       const std::string& demultiplexer = "index",
                       const std::string& task = "sequence_classification") {
  return R"({
    "model": {"num_instances": 2, "max_seq_length": 5},
    "backbone": )" + backbone + R"(,
    "multiplexer": {"plugin": ")" + multiplexer + R"("},
    "demultiplexer": {"plugin": ")" + demultiplexer + R"("},
    "task": {"plugin": ")" + task + R"("})" +
         (task == "retrieval" ? "" : R"(, "auxiliary": {"plugin": "retrieval"})") + "}";
}

// d = 8, 2 heads, feed-forward 12, 2 layers.
const std::string kRoberta =
    R"({"plugin": "roberta", "num_layers": 2, "hidden_size": 8, "num_heads": 2, "intermediate_size": 12})";

FlopShape mixed_shape(MuxModel& model) {
  return {kGroups, kN, model.prefix_length() + kLength, model.backbone().hidden_size()};
}
FlopShape head_shape(MuxModel& model) {
  return {kGroups, kN, kLength, model.backbone().hidden_size()};
}

TEST(FlopCount, RobertaGaussianIndexMatchHandCount) {
  auto built = test::build_from_config(tiny_model(kRoberta), /*vocab_size=*/100);
  MuxModel& model = *built.model;
  const FlopShape mixed = mixed_shape(model);
  ASSERT_EQ(mixed.length, 8);
  // Per layer on 3 x 8 = 24 positions: projections 2*24*(3*64 + 64 + 2*8*12) = 21504,
  // attention QK^T and AV 2*2*24*8*8 = 6144; two layers.
  EXPECT_EQ(model.backbone().encode_flops(mixed), 2 * (21504.0 + 6144.0));
  EXPECT_EQ(model.backbone().embed_flops(mixed), 0.0);
  // phi_i * e_i summed: 2 * (3*2 instances) * 8 positions * 8 wide.
  EXPECT_EQ(model.multiplexer().mix_flops(mixed), 768.0);
  // Linear(2d -> d) split into d x d halves: on N index states plus the CLS slot (sentence) or
  // the 5 token positions (tokens), per group: 2*3*(2+1)*64 and 2*3*(2+5)*64.
  EXPECT_EQ(model.demultiplexer().sentence_flops(mixed), 1152.0);
  EXPECT_EQ(model.demultiplexer().tokens_flops(mixed), 2688.0);
  // dense 8x8 and out 8x2 on 6 instances: 2*6*8*(8+2).
  EXPECT_EQ(model.task().flops(head_shape(model)), 960.0);
  // The retrieval head on one drawn instance per group and position: 2*3*5*8*(8+100).
  ASSERT_NE(model.auxiliary(), nullptr);
  EXPECT_EQ(model.auxiliary()->flops(head_shape(model)), 25920.0);
}

TEST(FlopCount, AlbertCountsTheEmbeddingProjectionAndEveryApplication) {
  auto built = test::build_from_config(tiny_model(
      R"({"plugin": "albert", "num_layers": 3, "hidden_size": 8, "num_heads": 2,
          "intermediate_size": 12, "embedding_size": 4})"));
  MuxModel& model = *built.model;
  const FlopShape mixed = mixed_shape(model);
  // E -> d on every instance: 2 * 6 instances * 8 positions * 4 * 8.
  EXPECT_EQ(model.backbone().embed_flops(mixed), 3072.0);
  // Three applications of the shared layer, each as the roberta layer above.
  EXPECT_EQ(model.backbone().encode_flops(mixed), 3 * (21504.0 + 6144.0));
}

TEST(FlopCount, LstmCountsBothDirectionsOfEveryLayer) {
  auto built = test::build_from_config(tiny_model(
      R"({"plugin": "lstm", "num_layers": 2, "embedding_size": 8, "hidden_size": 4})"));
  MuxModel& model = *built.model;
  // Per position, each layer: 2 directions * 2 * 4 gates * 4 * (input 8 + state 4) = 768;
  // 24 positions, 2 layers.
  EXPECT_EQ(model.backbone().encode_flops(mixed_shape(model)), 24 * 2 * 768.0);
  EXPECT_EQ(model.backbone().embed_flops(mixed_shape(model)), 0.0);
}

TEST(FlopCount, RandomOrthoMlpAndTokenClassification) {
  auto built = test::build_from_config(
      tiny_model(kRoberta, "random_ortho", "mlp", "token_classification"));
  MuxModel& model = *built.model;
  const FlopShape mixed = mixed_shape(model);
  ASSERT_EQ(mixed.length, kLength);  // the mlp demultiplexer adds no prefix
  // One 8 x 8 product per instance and position: 2 * 6 * 5 * 64.
  EXPECT_EQ(model.multiplexer().mix_flops(mixed), 3840.0);
  // Instance i's 8 x 8 Linear at position 0 (sentence) or at all 5 (tokens).
  EXPECT_EQ(model.demultiplexer().sentence_flops(mixed), 2 * 6 * 64.0);
  EXPECT_EQ(model.demultiplexer().tokens_flops(mixed), 3840.0);
  // The 8 -> 2 classifier at 6 * 5 positions.
  EXPECT_EQ(model.task().flops(head_shape(model)), 960.0);
}

TEST(FlopCount, TheBaselineCountsNothingExtra) {
  auto built = test::build_from_config(R"({
    "model": {"num_instances": 1, "max_seq_length": 5},
    "backbone": {"plugin": "roberta", "preset": "roberta-tiny"},
    "multiplexer": {"plugin": "none"}, "demultiplexer": {"plugin": "none"},
    "task": {"plugin": "sequence_classification"}})");
  const FlopShape shape{kGroups, 1, kLength, built.model->backbone().hidden_size()};
  EXPECT_EQ(built.model->multiplexer().mix_flops(shape), 0.0);
  EXPECT_EQ(built.model->demultiplexer().sentence_flops(shape), 0.0);
  EXPECT_EQ(built.model->demultiplexer().tokens_flops(shape), 0.0);
}

std::vector<rapidjson::Document> json_lines(const std::string& text) {
  std::vector<rapidjson::Document> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line))
    if (!line.empty()) lines.push_back(parse_json(line, "bench output"));
  return lines;
}

const std::string kTinyBench =
    "bench --backbone roberta --preset roberta-tiny --n 2,1 --batch 2 --seq 8 --repeats 1 "
    "--gemm-size 64 --threads 1";

TEST(BenchCli, JsonLinesCarryEveryFieldConsistently) {
  const auto result = test::run_datamux(kTinyBench + " --json");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 2u) << result.out;
  for (const char* key : {"n", "instances_per_s", "speedup", "ideal_speedup", "model_gflops_per_s",
                          "gemm_gflops_per_s", "fraction_of_gemm", "peak_memory_mb", "flops",
                          "median_seconds", "parameters", "instances", "positions"})
    for (const auto& line : lines) EXPECT_TRUE(line.HasMember(key)) << key << ": " << result.out;
  // N sorted ascending; N = 1 is the baseline of the speedups.
  EXPECT_EQ(lines[0]["n"].GetInt(), 1);
  EXPECT_EQ(lines[1]["n"].GetInt(), 2);
  EXPECT_DOUBLE_EQ(lines[0]["speedup"].GetDouble(), 1.0);
  EXPECT_DOUBLE_EQ(lines[0]["ideal_speedup"].GetDouble(), 1.0);
  for (const auto& line : lines) {
    const double seconds = line["median_seconds"].GetDouble();
    EXPECT_GT(seconds, 0);
    EXPECT_EQ(line["instances"].GetInt(), 2 * line["n"].GetInt());
    EXPECT_EQ(line["positions"].GetInt(), 8 + line["n"].GetInt() + 1);  // index prefix N + 1
    EXPECT_NEAR(line["instances_per_s"].GetDouble(), line["instances"].GetInt() / seconds, 1e-6 * line["instances_per_s"].GetDouble());
    const double gflops = line["flops"].GetDouble() / seconds / 1e9;
    EXPECT_NEAR(line["model_gflops_per_s"].GetDouble(), gflops, 1e-9 * gflops + 1e-12);
    EXPECT_NEAR(line["fraction_of_gemm"].GetDouble(), gflops / line["gemm_gflops_per_s"].GetDouble(), 1e-9);
    EXPECT_GT(line["peak_memory_mb"].GetDouble(), 0);
    EXPECT_EQ(line["threads"].GetInt(), 1);
    EXPECT_STREQ(line["mode"].GetString(), "infer");
  }
  // The FLOPs of N = 2 over those of N = 1, per instance: what FLOPs alone allow.
  const double ideal = 2 * lines[0]["flops"].GetDouble() / lines[1]["flops"].GetDouble();
  EXPECT_NEAR(lines[1]["ideal_speedup"].GetDouble(), ideal, 1e-9);
  EXPECT_GT(ideal, 1.0);
  EXPECT_NEAR(lines[1]["speedup"].GetDouble(),
              lines[1]["instances_per_s"].GetDouble() / lines[0]["instances_per_s"].GetDouble(), 1e-9);
  // No parameter's shape depends on N with these components (phi is a buffer).
  EXPECT_EQ(lines[0]["parameters"].GetInt64(), lines[1]["parameters"].GetInt64());
}

TEST(BenchCli, TrainModeTimesATrainingStepOfEveryBackbone) {
  for (const char* backbone : {"roberta", "albert", "lstm"}) {
    const auto result = test::run_datamux(
        std::string("bench --backbone ") + backbone + " --preset " + backbone +
        "-tiny --n 2 --batch 2 --seq 8 --repeats 1 --gemm-size 64 --mode train --json");
    ASSERT_EQ(result.exit_code, 0) << backbone << ": " << result.out;
    const auto lines = json_lines(result.out);
    ASSERT_EQ(lines.size(), 1u) << result.out;
    EXPECT_STREQ(lines[0]["mode"].GetString(), "train");
    EXPECT_TRUE(lines[0]["speedup"].IsNull()) << "no N = 1 row to compare with";
    EXPECT_TRUE(lines[0]["ideal_speedup"].IsNumber()) << result.out;
    EXPECT_GT(lines[0]["flops"].GetDouble(), 0);
  }
}

TEST(BenchCli, TextTableHasAHeaderAndOneLinePerN) {
  const auto result = test::run_datamux(kTinyBench + " --multiplexer random_ortho --demultiplexer mlp");
  ASSERT_EQ(result.exit_code, 0) << result.out;
  EXPECT_CONTAINS(result.out, "inst/s");
  EXPECT_CONTAINS(result.out, "random_ortho / mlp");
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 4) << result.out;
}

TEST(BenchCli, UsageErrorsExitTwoWithOneLine) {
  for (const char* arguments :
       {"bench --preset roberta-tiny", "bench --backbone roberta --n 0",
        "bench --backbone roberta --n 1,x", "bench --backbone roberta --n ''",
        "bench --backbone roberta --mode fly", "bench --backbone roberta --batch 0",
        "bench --backbone roberta --seq 1", "bench --backbone roberta --precision fp8",
        "bench --backbone roberta --labels word", "bench --backbone roberta --bogus"}) {
    const auto result = test::run_datamux(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << ": " << result.out;
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << arguments << ": " << result.out;
  }
}

TEST(BenchCli, AnUnknownComponentIsOneLineNamingIt) {
  const auto result = test::run_datamux("bench --backbone nope --n 1 --seq 8");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
  EXPECT_CONTAINS(result.out, "nope");
}

TEST(BenchCli, RefusesToLetSetOverrideN) {
  const auto result = test::run_datamux(
      "bench --backbone roberta --preset roberta-tiny --n 1 --seq 8 --set model.num_instances=3");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_CONTAINS(result.out, "model.num_instances");
}

}  // namespace
}  // namespace datamux
