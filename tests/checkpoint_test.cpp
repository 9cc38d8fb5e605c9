// Checkpoints: a model saved here loads in a fresh `datamux eval` process with identical
// logits; damaged files and other architectures give one clear error.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <fstream>

#include "datamux/core/batching.h"
#include "datamux/core/checkpoint.h"
#include "datamux/core/data_source.h"
#include "datamux/core/json_file.h"
#include "datamux/core/trainer.h"
#include "support/test_support.h"

namespace datamux {
namespace {

const char* kData = R"("data": {"train_examples": 64, "eval_examples": 30})";

std::string load_error(torch::nn::Module& model, const std::filesystem::path& file) {
  try {
    load_weights(model, file, torch::kCPU);
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected an error loading " << file;
  return "";
}

// A run directory as `datamux train` leaves it, written from this process after a few steps
// of training (so the weights differ from a fresh initialisation).
struct SavedRun {
  explicit SavedRun(const test::ModelChoice& choice)
      : config(test::model_config(choice, kData)),
        built(test::build_from_config(config, 270, 2)),
        splits(load_splits(built.config, {}, dir.path())) {
    TrainSettings settings;
    settings.steps = 3;
    settings.learning_rate = 1e-3;
    TrainBatches batches(splits.train, 4, choice.n, 24, 1, torch::kCPU);
    Trainer(*built.model, settings).run(batches, {}, {});
    std::filesystem::create_directories(run());
    write_file_atomically(run() / "config.json", to_json_text(built.config.to_json()));
    rapidjson::Document data(rapidjson::kObjectType);  // data.json: the labels (toy data: no tokenizer)
    rapidjson::Value labels(rapidjson::kArrayType);
    for (const auto& name : splits.train.label_names)
      labels.PushBack(json_string(name, data.GetAllocator()), data.GetAllocator());
    data.AddMember("label_names", labels, data.GetAllocator());
    write_file_atomically(run() / "data.json", to_json_text(data));
    save_weights(*built.model, run() / "model.pt");
  }
  std::filesystem::path run() const { return dir.path() / "run"; }

  test::ScratchDir dir;
  std::string config;
  test::BuiltModel built;
  DataSplits splits;
};

TEST(Checkpoint, FreshProcessGivesIdenticalLogits) {
  for (const char* backbone : {"roberta", "lstm"}) {
    test::ModelChoice choice;
    choice.backbone = backbone;
    SavedRun saved(choice);
    ASSERT_EQ(saved.splits.train.vocab_size, 270);  // the vocabulary the model was built for
    std::vector<torch::Tensor> here;
    const auto batches = evaluation_batches(saved.splits.eval, 8, choice.n, 24, torch::kCPU);
    evaluate(*saved.built.model, batches, 0, &here);

    const auto file = saved.dir.path() / "logits.pt";
    const auto result = test::run_datamux("eval --run " + saved.run().string() + " --logits " +
                                          file.string());
    ASSERT_EQ(result.exit_code, 0) << result.out;
    EXPECT_CONTAINS(result.out, "accuracy");
    torch::serialize::InputArchive archive;
    archive.load_from(file.string());
    torch::Tensor there;
    archive.read("logits", there);
    EXPECT_TRUE(torch::equal(torch::cat(here), there)) << backbone;
  }
}

TEST(Checkpoint, TruncatedOrCorruptedFileIsNamed) {
  test::ModelChoice choice;
  SavedRun saved(choice);
  const auto good = saved.run() / "model.pt";
  const auto size = std::filesystem::file_size(good);

  const auto truncated = saved.dir.path() / "truncated.pt";
  std::filesystem::copy_file(good, truncated);
  std::filesystem::resize_file(truncated, size / 2);
  EXPECT_CONTAINS(load_error(*saved.built.model, truncated),
                  "truncated.pt: not a readable checkpoint");

  const auto garbage = saved.dir.write("garbage.pt", std::string(4096, 'x'));
  EXPECT_CONTAINS(load_error(*saved.built.model, garbage), "garbage.pt: not a readable checkpoint");
  EXPECT_CONTAINS(load_error(*saved.built.model, saved.dir.path() / "absent.pt"),
                  "absent.pt: checkpoint not found");

  // The same through the CLI: one line, non-zero exit.
  std::filesystem::copy_file(truncated, good, std::filesystem::copy_options::overwrite_existing);
  const auto result = test::run_datamux("eval --run " + saved.run().string());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
  EXPECT_CONTAINS(result.out, "model.pt: not a readable checkpoint");
}

TEST(Checkpoint, OtherArchitectureNamesTheFirstMismatch) {
  test::ModelChoice choice;
  SavedRun saved(choice);
  const auto file = saved.run() / "model.pt";

  auto wider = test::build_from_config(test::model_config(choice, R"("backbone": {"plugin":
      "roberta", "preset": "roberta-tiny", "hidden_size": 32})"), 270, 2);
  EXPECT_CONTAINS(load_error(*wider.model, file),
                  "'backbone.word_embeddings.weight' has shape (270, 64) in the checkpoint but "
                  "(270, 32) in the model");

  auto deeper = test::build_from_config(test::model_config(choice, R"("backbone": {"plugin":
      "roberta", "preset": "roberta-tiny", "num_layers": 3})"), 270, 2);
  EXPECT_CONTAINS(load_error(*deeper.model, file), "the checkpoint has no module 'backbone.layers.2'");

  // ALBERT at the same widths: the first difference is a module RoBERTa does not have.
  test::ModelChoice albert = choice;
  albert.backbone = "albert";
  auto other = test::build_from_config(test::model_config(albert, R"("backbone": {"plugin":
      "albert", "preset": "albert-tiny", "embedding_size": 64})"), 270, 2);
  EXPECT_CONTAINS(load_error(*other.model, file), "(it was saved from another architecture or config)");
}

}  // namespace
}  // namespace datamux
