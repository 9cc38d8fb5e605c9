// The embedding API (datamux/core/embedding.h) on runs trained here: the same labels as
// `datamux eval --predictions`, safe from several threads, and broken runs refused with the
// missing piece named. tests/package/package_test.cpp runs it from an outside program.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "datamux/core/embedding.h"
#include "datamux/core/json_file.h"
#include "datamux/core/version.h"
#include "support/test_support.h"

namespace datamux::test {
namespace {

namespace fs = std::filesystem;

// A sentiment run on generated data (N = 3) and the first `count` sentences of its dev file.
struct SentimentRun {
  ScratchDir scratch;
  fs::path run, dev;
  std::vector<std::string> sentences;

  explicit SentimentRun(int count) {
    const auto data = scratch.path() / "data";
    const auto generated = run_datamux("demo-data --out " + data.string());
    if (generated.exit_code != 0) throw std::runtime_error(generated.out);
    const auto lines = read_lines(data / "sst2" / "dev.tsv");
    std::string text = lines.at(0) + "\n";
    for (int i = 1; i <= count; ++i) {
      text += lines.at(i) + "\n";
      std::string sentence = lines.at(i).substr(0, lines.at(i).find('\t'));
      while (!sentence.empty() && sentence.back() == ' ') sentence.pop_back();  // as the reader trims
      sentences.push_back(sentence);
    }
    dev = scratch.write("dev.tsv", text);
    const auto config = scratch.write("sst2.json", R"({"run": {"seed": 1, "device": "cpu"},
      "model": {"num_instances": 3, "max_seq_length": 20},
      "data": {"format": "sst2", "train_file": ")" + (data / "sst2" / "train.tsv").string() +
      R"(", "eval_file": ")" + dev.string() + R"(", "train_examples": 600, "vocab_size": 400},
      "backbone": {"plugin": "roberta", "preset": "tiny"},
      "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},
      "task": {"plugin": "sequence_classification", "pooling": "mean"},
      "train": {"steps": 40, "batch_size": 4, "learning_rate": 0.002, "throughput_repeats": 1}})");
    run = scratch.path() / "run";
    const auto trained = run_datamux("train --config " + config.string() + " --out " + run.string());
    if (trained.exit_code != 0) throw std::runtime_error(trained.out);
  }
};

std::vector<std::string> labels_of(const std::vector<LabelPrediction>& predictions) {
  std::vector<std::string> labels;
  for (const auto& prediction : predictions) labels.push_back(prediction.label);
  return labels;
}

TEST(Embedding, ClassifiesAsEvalPredictsFromSeveralThreads) {
  const SentimentRun trained(29);  // 29 = 9 groups of 3 and a partial one
  const auto predictions = trained.scratch.path() / "dev.pred";
  const auto logits_file = trained.scratch.path() / "dev.logits";
  const auto evaluated = run_datamux("eval --run " + trained.run.string() + " --data " +
                                     trained.dev.string() + " --predictions " + predictions.string() +
                                     " --logits " + logits_file.string());
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.out;
  torch::serialize::InputArchive archive;
  archive.load_from(logits_file.string());
  torch::Tensor logits;
  archive.read("logits", logits);

  const TrainedModel model = TrainedModel::load(trained.run, {"cpu", {}, {}});
  EXPECT_FALSE(model.tags_words());
  EXPECT_EQ(model.num_instances(), 3);
  EXPECT_EQ(model.device(), "cpu");
  EXPECT_EQ(model.labels(), (std::vector<std::string>{"0", "1"}));
  const auto serial = model.classify(trained.sentences);
  ASSERT_EQ(serial.size(), trained.sentences.size());
  EXPECT_EQ(labels_of(serial), read_lines(predictions));
  // The same groups as the evaluation: every probability is its logits' softmax.
  const torch::Tensor expected = logits.to(torch::kDouble).softmax(-1);
  for (std::size_t i = 0; i < serial.size(); ++i)
    for (std::int64_t j = 0; j < 2; ++j)
      EXPECT_NEAR(serial[i].probabilities[j], expected[i][j].item<double>(), 1e-6) << i;
  for (const auto& prediction : serial) {
    ASSERT_EQ(prediction.probabilities.size(), 2u);
    EXPECT_NEAR(prediction.probabilities[0] + prediction.probabilities[1], 1.0, 1e-6);
    EXPECT_EQ(prediction.probability,
              *std::max_element(prediction.probabilities.begin(), prediction.probabilities.end()));
  }
  EXPECT_TRUE(model.classify(std::vector<std::string>{}).empty());

  std::vector<std::vector<LabelPrediction>> parallel(4);
  std::vector<std::thread> threads;
  for (auto& out : parallel)
    threads.emplace_back([&model, &trained, &out] { out = model.classify(trained.sentences); });
  for (auto& thread : threads) thread.join();
  for (const auto& out : parallel) {
    ASSERT_EQ(out.size(), serial.size());
    for (std::size_t i = 0; i < out.size(); ++i)
      EXPECT_EQ(out[i].probabilities, serial[i].probabilities) << i;
  }
  EXPECT_CONTAINS(error_of([&] { model.tag({{"a", "b"}}); }), "a sentence task: call classify()");
}

// A copy of the run with one thing broken, and the error loading it gives.
std::string load_error(const fs::path& run, const fs::path& copy,
                       const std::function<void(const fs::path&)>& damage) {
  fs::remove_all(copy);
  fs::copy(run, copy, fs::copy_options::recursive);
  damage(copy);
  return error_of([&] { TrainedModel::load(copy, {"cpu", {}, {}}); });
}

void set_recorded_version(const fs::path& run, const char* version) {
  auto record = read_json_file(run / "run.json");
  if (version == nullptr) record.RemoveMember("datamux_version");
  else record["datamux_version"].SetString(version, record.GetAllocator());
  std::ofstream(run / "run.json") << to_json_text(record);
}

TEST(Embedding, RefusesBrokenRunsNamingTheMissingPiece) {
  const SentimentRun trained(4);
  const auto copy = trained.scratch.path() / "copy";
  ASSERT_EQ(load_error(trained.run, copy, [](const fs::path&) {}), "");
  for (const char* file : {"config.json", "run.json", "data.json", "tokenizer.model", "model.pt"}) {
    const auto message = load_error(trained.run, copy, [&](const fs::path& run) { fs::remove(run / file); });
    EXPECT_CONTAINS(message, (copy / file).string() + ": missing");
  }
  EXPECT_CONTAINS(load_error(trained.run, copy,
                             [](const fs::path& run) { set_recorded_version(run, "0.0.7"); }),
                  std::string("written by datamux 0.0.7, this is datamux ") + toolkit_version());
  EXPECT_CONTAINS(load_error(trained.run, copy,
                             [](const fs::path& run) { set_recorded_version(run, nullptr); }),
                  "run.json: records no datamux_version");
  EXPECT_CONTAINS(error_of([&] { TrainedModel::load(trained.scratch.path() / "nothing"); }),
                  "nothing: no such run directory");
  const auto other_weights = error_of([&] {
    TrainedModel::load(trained.run, {"cpu", trained.scratch.path() / "none.pt", {}});
  });
  EXPECT_CONTAINS(other_weights, "none.pt: no such weights file");
}

}  // namespace
}  // namespace datamux::test
