// The method end to end on generated data, through the CLI: the retrieval warm-up lowers the
// retrieval loss, and NER finetuning from it beats chance. One test, so that the warm-up
// runs once (CTest starts every test in a process of its own).
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "datamux/core/demo_data.h"
#include "datamux/core/json_file.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// One metrics.jsonl column over the training steps.
std::vector<double> step_values(const std::filesystem::path& run, const char* key) {
  std::ifstream in(run / "metrics.jsonl");
  std::vector<double> values;
  for (std::string line; std::getline(in, line);) {
    const auto record = parse_json(line, "metrics.jsonl");
    if (!record.HasMember("eval")) values.push_back(record[key].GetDouble());
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
    sizes.sentiment_train = 10;
    sizes.sentiment_dev = 10;
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
    return R"({"run": {"seed": 2, "device": "cpu"},
               "model": {"num_instances": 2, "max_seq_length": 32},
               "backbone": {"plugin": "roberta", "preset": "tiny"},)" + rest + "}";
  }
  static std::string data(const std::string& file) { return (dir_->path() / "data" / file).string(); }
  static std::filesystem::path run(const std::string& name) { return dir_->path() / name; }

  // Finetunes from the warm-up and returns the final evaluation.
  static rapidjson::Document finetune(const std::string& name, const std::string& data_section,
                                      const std::string& task) {
    const auto config = dir_->write(name + ".json", common(data_section + R"(,
      "task": {"plugin": ")" + task + R"("},
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

TEST_F(Pipeline, WarmupThenNerFinetuningBeatsChance) {
  ASSERT_EQ(warmup_->exit_code, 0) << warmup_->out;
  const auto losses = step_values(run("warmup"), "task_loss");
  ASSERT_EQ(losses.size(), 150u);
  const double first = mean(losses, 0, 10), last = mean(losses, 140, 10);
  std::cout << "retrieval loss: first 10 steps " << first << ", last 10 " << last << std::endl;
  EXPECT_LT(last, first * 0.7);
  EXPECT_TRUE(std::filesystem::exists(run("warmup") / "tokenizer.model"));

  const auto record = finetune("ner", R"("data": {"format": "conll", "train_file": ")" +
                                          data("conll2003/train.txt") + R"(", "eval_file": ")" +
                                          data("conll2003/valid.txt") + R"("})",
                               "token_classification");
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
  auto value_of = [](const std::string& text, const std::string& name) {
    const auto at = text.find(name + " ");
    return at == std::string::npos ? -1.0 : std::stod(text.substr(at + name.size() + 1));
  };
  EXPECT_NEAR(value_of(score.out, "f1"), value_of(eval.out, "f1"), 1e-6) << eval.out << score.out;
}

}  // namespace
}  // namespace datamux
