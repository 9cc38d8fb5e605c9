// The method end to end on generated data, through the CLI: the retrieval warm-up lowers the
// retrieval loss, and sentiment and NER finetuning from it beat chance. One test, so that the
// warm-up runs once (CTest starts every test in a process of its own).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "datamux/core/demo_data.h"
#include "datamux/core/json_file.h"
#include "datamux/core/readers/conll_reader.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// One metrics.jsonl column over the training steps.
std::vector<double> step_values(const std::filesystem::path& run, const char* key) {
  std::ifstream in(run / "metrics.jsonl");
  std::vector<double> values;
  for (std::string line; std::getline(in, line);) {
    const auto record = parse_json(line, "metrics.jsonl");
    // Step records only: evaluations and windowed means are lines of their own.
    if (!record.HasMember("eval") && record.HasMember(key))
      values.push_back(record[key].GetDouble());
  }
  return values;
}

double mean(const std::vector<double>& v, std::size_t from, std::size_t count) {
  return std::accumulate(v.begin() + from, v.begin() + from + count, 0.0) / double(count);
}

class Pipeline : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::ScratchDir();
    DemoDataSizes sizes;
    sizes.sentiment_train = 2000;
    sizes.sentiment_dev = 400;
    sizes.ner_train = 600;
    sizes.ner_dev = 150;
    sizes.corpus_paragraphs = 600;
    write_demo_data(dir_->path() / "data", 7, sizes);
    const auto config = dir_->write("warmup.json", common(R"(
      "data": {"format": "text", "train_file": ")" + data("wikitext/wiki.train.raw") + R"(",
               "vocab_size": 1000},
      "task": {"plugin": "retrieval"},
      "train": {"steps": 150, "batch_size": 16, "learning_rate": 0.002, "warmup_steps": 10})"));
    warmup_ = new test::CommandResult(test::run_datamux(
        "train --config " + config.string() + " --out " + run("warmup").string()));
  }
  static void TearDownTestSuite() {
    delete warmup_;
    delete dir_;
  }

  static std::string common(const std::string& rest) {
    // One thread: libtorch's thread pool on cores that other tests share runs many times slower.
    return R"({"run": {"seed": 2, "device": "cpu", "threads": 1},
               "model": {"num_instances": 2, "max_seq_length": 32},
               "backbone": {"plugin": "roberta", "preset": "tiny"},
               "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},)" + rest + "}";
  }
  static std::string data(const std::string& file) { return (dir_->path() / "data" / file).string(); }
  static std::filesystem::path run(const std::string& name) { return dir_->path() / name; }

  // Finetunes from the warm-up and returns the run record (with the final evaluation).
  static rapidjson::Document finetune(const std::string& name, const std::string& data_section,
                                      const std::string& task_section) {
    const auto config = dir_->write(name + ".json", common(data_section + R"(,
      "task": )" + task_section + R"(,
      "auxiliary": {"plugin": "retrieval"},
      "train": {"steps": 200, "batch_size": 16, "learning_rate": 0.002, "warmup_steps": 10})"));
    const auto result = test::run_datamux("train --config " + config.string() + " --out " +
                                          run(name).string() + " --set train.init_from=" +
                                          run("warmup").string());
    EXPECT_EQ(result.exit_code, 0) << result.out;
    return read_json_file(run(name) / "run.json");
  }

  static test::ScratchDir* dir_;
  static test::CommandResult* warmup_;
};
test::ScratchDir* Pipeline::dir_ = nullptr;
test::CommandResult* Pipeline::warmup_ = nullptr;

TEST_F(Pipeline, WarmupThenSentimentAndNerFinetuningBeatChance) {
  ASSERT_EQ(warmup_->exit_code, 0) << warmup_->out;
  const auto losses = step_values(run("warmup"), "task_loss");
  ASSERT_EQ(losses.size(), 150u);
  const double first = mean(losses, 0, 10), last = mean(losses, 140, 10);
  std::cout << "retrieval loss: first 10 steps " << first << ", last 10 " << last << std::endl;
  EXPECT_LT(last, first * 0.7);
  EXPECT_TRUE(std::filesystem::exists(run("warmup") / "tokenizer.model"));

  // Sentiment: the demo config's mean pooling (configs/demo/sst2.json says why); the labels
  // are balanced, so chance is 0.5.
  const auto sentiment = finetune("sst2", R"("data": {"format": "sst2", "train_file": ")" +
                                              data("sst2/train.tsv") + R"(", "eval_file": ")" +
                                              data("sst2/dev.tsv") + R"("})",
                                  R"({"plugin": "sequence_classification", "pooling": "mean"})");
  const double accuracy = sentiment["final_eval"]["accuracy"].GetDouble();
  std::cout << "sentiment accuracy " << accuracy << std::endl;
  EXPECT_GE(accuracy, 0.7);

  const auto record = finetune("ner", R"("data": {"format": "conll", "train_file": ")" +
                                          data("conll2003/train.txt") + R"(", "eval_file": ")" +
                                          data("conll2003/valid.txt") + R"("})",
                               R"({"plugin": "token_classification"})");
  const double f1 = record["final_eval"]["f1"].GetDouble();
  std::cout << "NER f1 " << f1 << std::endl;
  EXPECT_GT(f1, 0.2);  // chance finds next to no entity

  // Its predictions score the same with `datamux score` against the gold file.
  const auto predictions = run("ner") / "predictions.txt";
  const auto eval = test::run_datamux("eval --run " + run("ner").string() + " --predictions " +
                                      predictions.string());
  ASSERT_EQ(eval.exit_code, 0) << eval.out;
  const auto score = test::run_datamux("score ner " + data("conll2003/valid.txt") + " " +
                                       predictions.string());
  ASSERT_EQ(score.exit_code, 0) << score.out;
  EXPECT_NEAR(test::printed_metrics(score.out).at("f1"), test::printed_metrics(eval.out).at("f1"), 1e-6)
      << eval.out << score.out;

  // Also when truncation cuts sentences: at 12 tokens no sentence of more than 10 words fits,
  // and both score the cut-off words as predicted O, so every number agrees.
  ReadReport report;
  const auto gold = read_conll(data("conll2003/valid.txt"), report);
  ASSERT_TRUE(std::any_of(gold.begin(), gold.end(),
                          [](const TaggedSentence& s) { return s.words.size() > 10; }));
  const auto cut_predictions = run("ner") / "predictions-12.txt";
  const auto cut_eval = test::run_datamux("eval --run " + run("ner").string() +
                                          " --set model.max_seq_length=12 --predictions " +
                                          cut_predictions.string());
  ASSERT_EQ(cut_eval.exit_code, 0) << cut_eval.out;
  const auto cut_score = test::run_datamux("score ner " + data("conll2003/valid.txt") + " " +
                                           cut_predictions.string());
  ASSERT_EQ(cut_score.exit_code, 0) << cut_score.out;
  const auto evaluated = test::printed_metrics(cut_eval.out), scored = test::printed_metrics(cut_score.out);
  for (const char* name : {"precision", "recall", "f1", "token_accuracy", "sentences"}) {
    ASSERT_TRUE(evaluated.count(name) && scored.count(name))
        << name << "\n" << cut_eval.out << cut_score.out;
    EXPECT_EQ(evaluated.at(name), scored.at(name)) << name << "\n" << cut_eval.out << cut_score.out;
  }
  EXPECT_LT(evaluated.at("f1"), f1);  // the cut entities count as missed
}

}  // namespace
}  // namespace datamux
