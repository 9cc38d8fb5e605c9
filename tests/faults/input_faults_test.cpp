// The fault suite, input side (docs/reliability.md, "Bad input and broken files"): each test
// feeds the toolkit one kind of bad input or broken file found by the audit of issue 10 and
// checks the promise: one clear line naming the file, line or key, a non-zero exit, nothing
// created, and the rest of the toolkit still working.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <torch/torch.h>

#include "datamux/core/demo_data.h"
#include "datamux/core/json_file.h"
#include "datamux/core/option_binding.h"
#include "datamux/core/plugin_host.h"
#include "datamux/core/plugin_manifest.h"
#include "datamux/core/plugin_search_path.h"
#include "datamux/core/readers/glue_reader.h"
#include "datamux/core/resolved_config.h"
#include "datamux/core/sha256.h"
#include "support/test_support.h"

namespace datamux {
namespace {

namespace fs = std::filesystem;

// The CLI's error: exactly one line "datamux: error: ...", and nothing else on the output.
void expect_one_error_line(const test::CommandResult& result, const std::string& needle) {
  EXPECT_CONTAINS(result.out, "datamux: error: ");
  EXPECT_CONTAINS(result.out, needle);
  EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << result.out;
}

// `arguments` fail with exit 1 and one error line holding `needle`, and `out` is not created.
void expect_refused_before_start(const std::string& arguments, const fs::path& out,
                                 const std::string& needle) {
  const auto result = test::run_datamux(arguments);
  EXPECT_EQ(result.exit_code, 1) << arguments;
  expect_one_error_line(result, needle);
  EXPECT_FALSE(fs::exists(out)) << arguments;
}

// A CoNLL-2003-style file whose sentences have every length from 1 to `longest` words, in a
// shuffled order, so that consecutive evaluation batches differ in length.
std::string varied_conll(std::size_t sentences, std::size_t longest, std::uint64_t seed) {
  static const char* const kWords[] = {"the", "talks", "in", "said", "on", "shares", "rose",
                                       "team", "beat", "final", "police", "people", "a", "deal"};
  static const char* const kTypes[] = {"PER", "LOC", "ORG", "MISC"};
  static const char* const kNames[] = {"Smith", "Paris", "Reuters", "German", "Jones", "Bonn"};
  std::mt19937_64 random(seed);
  std::ostringstream out;
  out << "-DOCSTART- -X- -X- O\n\n";
  for (std::size_t s = 0; s < sentences; ++s) {
    // Every 8 sentences (one evaluation batch of 4 groups x 2) share a base length.
    const std::size_t length = 1 + ((s / 8) * 5 + s % 3) % longest;
    for (std::size_t w = 0; w < length; ++w) {
      if (random() % 4 == 0) {
        const char* type = kTypes[random() % 4];
        out << kNames[random() % 6] << " NNP B-NP B-" << type << "\n";
        if (w + 1 < length && random() % 2 == 0) {
          out << kNames[random() % 6] << " NNP I-NP I-" << type << "\n";
          ++w;
        }
      } else {
        out << kWords[random() % 14] << " NN I-NP O\n";
      }
    }
    out << "\n";
  }
  return out.str();
}

std::string toy_config(const std::string& extra = "") {
  return test::tiny_config(2, R"("train": {"steps": 2, "batch_size": 4})" +
                                  (extra.empty() ? "" : ",\n" + extra));
}

// ---- Runs reused by several tests ------------------------------------------------------------
// CTest runs each test in a process of its own, so each run is trained only when a test needs
// it, and at a few steps: these tests check what the toolkit does with a run, not its accuracy.
class InputFaultsRuns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { dir_ = new test::ScratchDir(); }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // A config with `rest`'s sections; `model` is the model section's content.
  static std::string common(const std::string& rest,
                            const std::string& model = R"("num_instances": 2, "max_seq_length": 24)") {
    return R"({"run": {"seed": 2, "device": "cpu", "threads": 1},
               "model": {)" + model + R"(},
               "backbone": {"plugin": "roberta", "preset": "tiny"},
               "multiplexer": {"plugin": "gaussian_hadamard"}, "demultiplexer": {"plugin": "index"},)" + rest + "}";
  }
  static fs::path path(const std::string& name) { return dir_->path() / name; }

  static fs::path demo_data() {
    if (!fs::exists(path("demo"))) {
      DemoDataSizes sizes;
      sizes.sentiment_train = 200;
      sizes.sentiment_dev = 40;
      sizes.ner_train = 60;
      sizes.ner_dev = 20;
      sizes.corpus_paragraphs = 200;
      write_demo_data(path("demo"), 5, sizes);
    }
    return path("demo");
  }

  // A NER run trained directly (no warm-up) on sentences of many lengths: 61 evaluation
  // sentences in batches of 4 groups x 2, the last one incomplete.
  static fs::path ner_run() {
    const auto run = path("ner");
    if (fs::exists(run / "model.pt")) return run;
    dir_->write("ner-train.txt", varied_conll(120, 30, 1));
    dir_->write("ner-valid.txt", varied_conll(61, 30, 2));
    const auto config = dir_->write("ner.json", common(R"(
      "data": {"format": "conll", "train_file": ")" + path("ner-train.txt").string() +
                                                       R"(", "eval_file": ")" +
                                                       path("ner-valid.txt").string() + R"(",
               "vocab_size": 200},
      "task": {"plugin": "token_classification"},
      "train": {"steps": 60, "batch_size": 4, "learning_rate": 0.005, "checkpoint_every": 30})",
                                                 R"("num_instances": 2, "max_seq_length": 48, "auxiliary_weight": 0)"));
    const auto result =
        test::run_datamux("train --config " + config.string() + " --out " + run.string());
    EXPECT_EQ(result.exit_code, 0) << result.out;
    return run;
  }

  static fs::path warmup_run() {
    const auto run = path("warmup");
    if (fs::exists(run / "model.pt")) return run;
    const auto config = dir_->write("warmup.json", common(R"(
      "data": {"format": "text", "train_file": ")" +
                                                          (demo_data() / "wikitext/wiki.train.raw").string() +
                                                          R"(", "vocab_size": 300},
      "task": {"plugin": "retrieval"},
      "train": {"steps": 3, "batch_size": 4, "checkpoint_every": 3})"));
    const auto result =
        test::run_datamux("pretrain --config " + config.string() + " --out " + run.string());
    EXPECT_EQ(result.exit_code, 0) << result.out;
    return run;
  }

  static fs::path sst2_config() {
    return dir_->write("sst2.json", common(R"(
      "data": {"format": "sst2", "train_file": ")" + (demo_data() / "sst2/train.tsv").string() +
                                           R"(", "eval_file": ")" +
                                           (demo_data() / "sst2/dev.tsv").string() + R"("},
      "task": {"plugin": "sequence_classification"}, "auxiliary": {"plugin": "retrieval"},
      "train": {"steps": 2, "batch_size": 4})"));
  }

  // A copy of `run` under `name`, for a test to damage.
  static fs::path copy_of(const fs::path& run, const std::string& name) {
    const auto copy = path(name);
    fs::remove_all(copy);
    fs::copy(run, copy, fs::copy_options::recursive);
    return copy;
  }

  static test::ScratchDir* dir_;
};
test::ScratchDir* InputFaultsRuns::dir_ = nullptr;

// Item 1: eval -> score on CoNLL data whose evaluation batches differ in length.
TEST_F(InputFaultsRuns, NerEvalPredictionsAndLogitsAcrossBatchesOfDifferentLengths) {
  const auto run = ner_run();
  const auto predictions = path("ner.pred"), logits = path("ner-logits.pt");
  const auto eval = test::run_datamux("eval --run " + run.string() + " --predictions " +
                                      predictions.string() + " --logits " + logits.string());
  ASSERT_EQ(eval.exit_code, 0) << eval.out;
  const auto score =
      test::run_datamux("score ner " + path("ner-valid.txt").string() + " " + predictions.string());
  ASSERT_EQ(score.exit_code, 0) << score.out;
  const auto evaluated = test::printed_metrics(eval.out), scored = test::printed_metrics(score.out);
  for (const char* metric : {"f1", "precision", "recall"})
    EXPECT_NEAR(scored.at(metric), evaluated.at(metric), 1e-6) << metric << "\n"
                                                               << eval.out << score.out;

  // One row per evaluation sentence, as long as the longest batch; the shorter batches'
  // rows are NaN past their own length, and never at a real position.
  torch::serialize::InputArchive archive;
  archive.load_from(logits.string());
  torch::Tensor saved;
  archive.read("logits", saved);
  ASSERT_EQ(saved.dim(), 3);
  EXPECT_EQ(saved.size(0), 61);
  const torch::Tensor padded = saved.isnan().all(-1);  // (rows, positions)
  EXPECT_TRUE(padded.any().item<bool>()) << "batches of one length only: the test shows nothing";
  EXPECT_FALSE(padded.all(-1).any().item<bool>());
  EXPECT_FALSE((saved.isnan().any(-1) != padded).any().item<bool>());  // whole positions only
  // Padding only ever follows the real positions of a row.
  const torch::Tensor starts = padded.to(torch::kLong).cumsum(-1);
  EXPECT_TRUE((padded == (starts > 0)).all().item<bool>());
}

// Item 4: a run's tokenizer (and its data record) is part of the model.
TEST_F(InputFaultsRuns, EvalAndResumeRefuseARunWhoseTokenizerOrDataRecordIsMissing) {
  const auto broken = copy_of(ner_run(), "ner-no-tokenizer");
  fs::remove(broken / "tokenizer.model");
  const auto eval = test::run_datamux("eval --run " + broken.string());
  EXPECT_EQ(eval.exit_code, 1);
  expect_one_error_line(eval, (broken / "tokenizer.model").string() + ": missing");
  EXPECT_FALSE(fs::exists(broken / "tokenizer.model"));  // nothing trained in its place

  // Resuming would retrain it as well.
  fs::remove(broken / "model.pt");
  write_file_atomically(broken / "run.json", R"({"status": "interrupted"})");
  const auto resume = test::run_datamux("train --resume --out " + broken.string());
  EXPECT_EQ(resume.exit_code, 1) << resume.out;
  EXPECT_CONTAINS(resume.out, (broken / "tokenizer.model").string() + ": missing");

  const auto no_record = copy_of(ner_run(), "ner-no-data-record");
  fs::remove(no_record / "data.json");
  const auto without = test::run_datamux("eval --run " + no_record.string());
  EXPECT_EQ(without.exit_code, 1);
  expect_one_error_line(without, (no_record / "data.json").string() + ": missing");
}

// Items 4 and 5: finetune --from checks that its source is a warm-up, with its tokenizer.
TEST_F(InputFaultsRuns, FinetuneFromChecksTheSourceIsAWarmupWithItsTokenizer) {
  const auto config = sst2_config();
  const auto ner = ner_run();
  for (const fs::path& from : {ner, ner / "model.pt", ner / "checkpoints"}) {
    fs::path source = from;
    if (from.filename() == "checkpoints") source = fs::directory_iterator(from)->path();
    const auto out = path("from-ner");
    expect_refused_before_start(
        "finetune --config " + config.string() + " --from " + source.string() + " --out " +
            out.string(),
        out, ner.string() + " is not a warm-up (its task.plugin 'token_classification' is not an objective)");
  }

  const auto warmup = warmup_run();
  const auto no_tokenizer = copy_of(warmup, "warmup-no-tokenizer");
  fs::remove(no_tokenizer / "tokenizer.model");
  expect_refused_before_start("finetune --config " + config.string() + " --from " +
                                  no_tokenizer.string() + " --out " + path("x").string(),
                              path("x"), (no_tokenizer / "tokenizer.model").string() + ": missing");

  // A warm-up, or a checkpoint in one, is accepted.
  const auto checkpoint = fs::directory_iterator(warmup / "checkpoints")->path();
  const auto accepted = test::run_datamux("finetune --config " + config.string() + " --from " +
                                          checkpoint.string() + " --out " + path("ok").string());
  EXPECT_EQ(accepted.exit_code, 0) << accepted.out;
}

// Item 7 (warning side): CoNLL files may use other entity types; it is recorded and printed.
TEST_F(InputFaultsRuns, UnusualEntityTypesAreWarnedAboutAndRecorded) {
  std::string content = varied_conll(40, 12, 3);
  for (std::size_t at; (at = content.find("-MISC")) != std::string::npos;)
    content.replace(at, 5, "-MSIC");
  const auto file = dir_->write("typo.txt", content);
  const auto config = dir_->write("typo.json", common(R"(
      "data": {"format": "conll", "train_file": ")" + file.string() + R"(", "vocab_size": 150},
      "task": {"plugin": "token_classification"},
      "train": {"steps": 1, "batch_size": 4})",
                                                     R"("num_instances": 2, "max_seq_length": 24, "auxiliary_weight": 0)"));
  const auto run = path("typo");
  const auto result =
      test::run_datamux("train --config " + config.string() + " --out " + run.string());
  ASSERT_EQ(result.exit_code, 0) << result.out;
  const std::string warning = file.string() +
                              ": entity types differ from CoNLL-2003's (LOC, MISC, ORG, PER): "
                              "not in it: MSIC; absent: MISC";
  EXPECT_CONTAINS(result.out, "warning: " + warning);
  const auto record = read_json_file(run / "data.json");
  ASSERT_TRUE(record["warnings"].IsArray());
  bool recorded = false;
  for (const auto& item : record["warnings"].GetArray())
    recorded = recorded || std::string(item.GetString()) == warning;
  EXPECT_TRUE(recorded) << to_json_text(record);

  // The standard types give no such warning.
  const auto ner = read_json_file(ner_run() / "data.json");
  for (const auto& item : ner["warnings"].GetArray())
    EXPECT_EQ(std::string(item.GetString()).find("entity types"), std::string::npos);
}

// ---- Item 2: broken plugin libraries ---------------------------------------------------------

struct ManifestVariant {
  const char* name;
  // Writes (or not) the manifest beside `library`; `original` is the real plugin's manifest.
  std::function<void(const fs::path& library, const fs::path& original)> write;
};

const std::vector<ManifestVariant>& manifest_variants() {
  static const std::vector<ManifestVariant> variants = {
      {"no manifest", [](const fs::path&, const fs::path&) {}},
      {"the original manifest",
       [](const fs::path& library, const fs::path& original) {
         fs::copy_file(original, manifest_path_for(library));
       }},
      {"a manifest updated to the broken file's sha256",
       [](const fs::path& library, const fs::path& original) {
         auto manifest = read_json_file(original);
         const std::string sha = sha256_file(library);
         manifest["sha256"].SetString(sha.c_str(), static_cast<rapidjson::SizeType>(sha.size()),
                                      manifest.GetAllocator());
         write_file_atomically(manifest_path_for(library), to_json_text(manifest));
       }},
  };
  return variants;
}

// The sizes a copy of `size` bytes is cut to: empty, inside the ELF header, inside the
// program headers, the audit's 47780, the middle, and one byte short.
std::vector<std::uintmax_t> cut_sizes(std::uintmax_t size) {
  std::set<std::uintmax_t> sizes = {0, 3, 40, 100, 47780, size / 4, size / 2, size - 1};
  std::vector<std::uintmax_t> out;
  for (auto cut : sizes)
    if (cut < size) out.push_back(cut);
  return out;
}

TEST(InputFaults, TruncatedEmptyOrNonElfPluginIsSkippedAndNamedTheOthersStillLoad) {
  const fs::path original = default_plugin_directory() / "index.so";
  const auto size = fs::file_size(original);
  std::vector<std::pair<std::string, std::function<void(const fs::path&)>>> damages;
  for (const auto cut : cut_sizes(size))
    damages.emplace_back("cut to " + std::to_string(cut) + " bytes", [&original, cut](const fs::path& to) {
      fs::copy_file(original, to);
      fs::resize_file(to, cut);
    });
  damages.emplace_back("not ELF", [](const fs::path& to) {
    std::ofstream(to) << "#!/bin/sh\necho this is no library\n";
  });
  for (const auto& [damage, make] : damages) {
    for (const auto& variant : manifest_variants()) {
      SCOPED_TRACE(damage + ", " + variant.name);
      test::ScratchDir dir;
      const auto library = dir.path() / "index.so";
      make(library);
      variant.write(library, manifest_path_for(original));

      PluginHost host({dir.path(), default_plugin_directory()});
      ASSERT_EQ(host.broken().size(), 1u);
      EXPECT_EQ(host.broken()[0].path, library);
      EXPECT_CONTAINS(host.broken()[0].warning(), library.string() + ": skipped, not a loadable");
      // The real index demultiplexer and every other plugin are still found and load.
      const auto& demultiplexer = host.require<Demultiplexer>("index");
      EXPECT_EQ(demultiplexer.plugin->path, original);
      host.require<Backbone>("roberta");
      // Loading it by name is an error naming it, not a crash.
      EXPECT_CONTAINS(test::error_of([&] { host.load(library); }),
                      library.string() + ": cannot load plugin library: ");
    }
  }
}

TEST(InputFaults, PluginsListAndTrainSurviveATruncatedPluginCopy) {
  const fs::path original = default_plugin_directory() / "index.so";
  const auto cut = std::min<std::uintmax_t>(47780, fs::file_size(original) / 2);
  for (const auto& variant : manifest_variants()) {
    SCOPED_TRACE(variant.name);
    test::ScratchDir dir;
    const auto library = dir.path() / "index.so";
    fs::copy_file(original, library);
    fs::resize_file(library, cut);
    variant.write(library, manifest_path_for(original));
    const auto list = test::run_datamux("plugins list --plugin-path " + dir.path().string());
    EXPECT_EQ(list.exit_code, 0) << list.out;
    EXPECT_CONTAINS(list.out, "datamux: warning: " + library.string() +
                                  ": skipped, not a loadable plugin library: truncated");
    EXPECT_CONTAINS(list.out, "roberta");
    EXPECT_CONTAINS(list.out, original.string());  // the index plugin, from the build

    const auto config = dir.write("toy.json", toy_config());
    const auto train = test::run_datamux("train --config " + config.string() + " --out " +
                                         (dir.path() / "run").string() + " --plugin-path " +
                                         dir.path().string());
    EXPECT_EQ(train.exit_code, 0) << train.out;
    EXPECT_CONTAINS(train.out, "warning: " + library.string() + ": skipped");
  }

  // With nowhere else to find it, the missing component's error names the broken file.
  test::ScratchDir only;
  fs::copy_file(original, only.path() / "index.so");
  fs::resize_file(only.path() / "index.so", cut);
  PluginHost host({only.path()});
  EXPECT_CONTAINS(test::error_of([&] { host.require<Demultiplexer>("index"); }),
                  (only.path() / "index.so").string() + ": skipped, not a loadable plugin library");
}

// ---- Item 3: NaN and infinities for float options --------------------------------------------

// Every float option the build declares: the core's sections and every component's.
std::vector<std::pair<std::string, OptionSchema>> every_schema() {
  std::vector<std::pair<std::string, OptionSchema>> schemas;
  schemas.emplace_back("run", run_schema());
  schemas.emplace_back("model", model_schema());
  schemas.emplace_back("data", data_schema());
  schemas.emplace_back("train", train_schema());
  PluginHost host(plugin_search_path({}));
  host.load_all();
  for (const auto& entry : host.registry().entries()) {
    OptionSchema schema;
    if (entry.declare_options) entry.declare_options(schema);
    schemas.emplace_back(kind_name(entry.kind), std::move(schema));
  }
  return schemas;
}

TEST(InputFaults, NanAndInfinityAreRefusedForEveryFloatOption) {
  std::size_t checked = 0;
  for (const auto& [section, schema] : every_schema()) {
    for (const auto& option : schema.options()) {
      if (option.type != OptionType::kFloat) continue;
      for (const char* text : {"nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999", "-1e400"}) {
        const std::string assignment = section + "." + option.name + "=" + text;
        RawSection raw = {{option.name, RawValue{text, std::nullopt, "--set " + assignment}}};
        const std::string message =
            test::error_of([&] { bind_options(section, schema, raw, {}, "test"); });
        EXPECT_CONTAINS(message, "--set " + assignment + ": " + section + "." + option.name + ": ");
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 10u);  // core sections and plugins both have float options
}

TEST(InputFaults, NonFiniteValuesFromSetOrJsonFailBeforeAnythingIsCreated) {
  test::ScratchDir dir;
  const auto out = dir.path() / "run";
  const auto config = dir.write("toy.json", toy_config());
  for (const char* assignment :
       {"train.learning_rate=nan", "train.weight_decay=nan", "train.max_grad_norm=nan",
        "train.learning_rate=inf", "train.max_grad_norm=1e999", "multiplexer.norm=-inf"}) {
    const std::string key = std::string(assignment).substr(0, std::string(assignment).find('='));
    expect_refused_before_start(
        "train --config " + config.string() + " --out " + out.string() + " --set " + assignment,
        out, "--set " + std::string(assignment) + ": " + key + ": ");
  }
  // RapidJSON reads NaN and Infinity literals; binding refuses them by key.
  auto literal_config = [](const std::string& train, const std::string& norm) {
    return R"({"run": {"seed": 1, "device": "cpu"},
      "model": {"num_instances": 2, "max_seq_length": 24},
      "backbone": {"plugin": "roberta", "preset": "roberta-tiny"},
      "multiplexer": {"plugin": "gaussian_hadamard", "norm": )" + norm + R"(},
      "demultiplexer": {"plugin": "index"},
      "task": {"plugin": "sequence_classification"},
      "train": {"steps": 2, "batch_size": 4)" + train + "}}";
  };
  const std::vector<std::pair<std::string, std::string>> literals = {
      {literal_config(R"(, "weight_decay": NaN)", "20"), "train.weight_decay"},
      {literal_config(R"(, "learning_rate": Infinity)", "20"), "train.learning_rate"},
      {literal_config("", "-Infinity"), "multiplexer.norm"}};
  for (const auto& [text, key] : literals) {
    const auto file = dir.write("literal.json", text);
    expect_refused_before_start("train --config " + file.string() + " --out " + out.string(), out,
                                file.string() + ": " + key + ": ");
  }
}

// ---- Item 6: duplicate JSON keys -------------------------------------------------------------

TEST(InputFaults, DuplicateJsonKeysAreRefusedWithTheLineOfTheSecond) {
  EXPECT_EQ(test::error_of([] { parse_json("{\"seed\": 1,\n \"seed\": 2}", "c.json"); }),
            "c.json:2: duplicate key \"seed\"");
  EXPECT_EQ(test::error_of([] {
              parse_json("{\"run\": {\"seed\": 1},\n \"train\": {\"steps\": 1,\n\n"
                         "   \"steps\": 2}}",
                         "c.json");
            }),
            "c.json:4: duplicate key \"steps\"");
  EXPECT_EQ(test::error_of([] { parse_json("[{\"a\": 1}, {\"a\": 1, \"b\": [{}],\n\"a\": 3}]", "x"); }),
            "x:2: duplicate key \"a\"");
  // The same key in different objects, or a key equal to a value, is fine.
  EXPECT_EQ(test::error_of([] { parse_json(R"({"a": {"a": "a"}, "b": [{"a": 1}, {"a": 2}]})", "x"); }), "");

  test::ScratchDir dir;
  const auto config = dir.write("dup.json", "{\n  \"run\": {\"seed\": 1,\n          \"seed\": 2},\n"
                                            "  \"train\": {\"steps\": 2}\n}\n");
  expect_refused_before_start(
      "train --config " + config.string() + " --out " + (dir.path() / "run").string(),
      dir.path() / "run", config.string() + ":3: duplicate key \"seed\"");

  const auto sweep_config = dir.write("sweep.json", "{\"backbones\": [\"roberta\"],\n"
                                                    "\"backbones\": [\"lstm\"]}");
  expect_refused_before_start(
      "sweep --config " + sweep_config.string() + " --out " + (dir.path() / "sweep").string(),
      dir.path() / "sweep", sweep_config.string() + ":2: duplicate key \"backbones\"");
}

TEST_F(InputFaultsRuns, DuplicateKeysInARunRecordOrAManifestAreNotTrusted) {
  const auto run = copy_of(ner_run(), "ner-duplicate-record");
  std::string record = test::read_text(run / "data.json");
  record.insert(record.find('{') + 1, "\n  \"label_names\": [\"O\"],");
  write_file_atomically(run / "data.json", record);
  const auto eval = test::run_datamux("eval --run " + run.string());
  EXPECT_EQ(eval.exit_code, 1);
  expect_one_error_line(eval, (run / "data.json").string() + ":");
  EXPECT_CONTAINS(eval.out, ": duplicate key \"label_names\"");

  // A manifest is only a cache: one with a repeated key is ignored and the library read.
  const fs::path original = default_plugin_directory() / "index.so";
  const auto plugins = path("plugins");
  fs::create_directories(plugins);
  fs::copy_file(original, plugins / "index.so");
  std::string manifest = test::read_text(manifest_path_for(original));
  manifest.insert(manifest.find('{') + 1,
                  "\n  \"components\": [{\"kind\": \"task\", \"name\": \"bogus\"}],");
  write_file_atomically(manifest_path_for(plugins / "index.so"), manifest);
  PluginHost host({plugins});
  const auto rows = host.list();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "index");
  EXPECT_EQ(rows[0].kind, ComponentKind::kDemultiplexer);
}

// ---- Item 7: GLUE label sets ------------------------------------------------------------------

TEST(InputFaults, GlueLabelsOutsideTheTasksLabelSetAreErrorsNamingFileAndLine) {
  struct Case {
    GlueTask task;
    std::string content, error;
  };
  const std::vector<Case> cases = {
      {GlueTask::kSst2, "sentence\tlabel\ngood \t1\nbad \t0\nfine \tpositive\n",
       "mem.tsv:4: label 'positive' is not among the SST-2 labels (0, 1)"},
      {GlueTask::kSst2, "sentence\tlabel\ngood \t2\n",
       "mem.tsv:2: label '2' is not among the SST-2 labels (0, 1)"},
      {GlueTask::kQnli, "index\tquestion\tsentence\tlabel\n0\tq?\ts.\tentailment\n1\tq?\ts.\tneutral\n",
       "mem.tsv:3: label 'neutral' is not among the QNLI labels (entailment, not_entailment)"},
      {GlueTask::kMnli, "index\tsentence1\tsentence2\tgold_label\n0\ta\tb\tneutral\n1\ta\tb\t-\n",
       "mem.tsv:3: label '-' is not among the MNLI labels (entailment, neutral, contradiction)"},
      {GlueTask::kQqp, "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n0\t1\t2\ta?\tb?\tyes\n",
       "mem.tsv:2: label 'yes' is not among the QQP labels (0, 1)"},
  };
  for (const auto& c : cases) {
    ReadReport report;
    EXPECT_EQ(test::error_of([&] { parse_glue_tsv(c.content, "mem.tsv", c.task, report); }), c.error);
  }
  // Every label of the set is accepted.
  ReadReport report;
  EXPECT_EQ(parse_glue_tsv("index\tsentence1\tsentence2\tgold_label\n0\ta\tb\tneutral\n"
                           "1\ta\tb\tentailment\n2\ta\tb\tcontradiction\n",
                           "mem.tsv", GlueTask::kMnli, report)
                .size(),
            3u);

  // Through the CLI: one line, before anything is created.
  test::ScratchDir dir;
  std::string tsv = "sentence\tlabel\n";
  for (int i = 0; i < 30; ++i) tsv += "a fine film \t1\na dull one \t0\n";
  tsv += "a so-so one \tneutral\n";
  const auto train = dir.write("train.tsv", tsv);
  const auto config = dir.write(
      "sst2.json", test::tiny_config(2, R"("data": {"format": "sst2", "train_file": ")" +
                                            train.string() + R"("}, "train": {"steps": 1})"));
  expect_refused_before_start(
      "train --config " + config.string() + " --out " + (dir.path() / "run").string(),
      dir.path() / "run", train.string() + ":62: label 'neutral' is not among the SST-2 labels (0, 1)");
}

// ---- Item 8: command-line usage errors exit 2 -------------------------------------------------

TEST(InputFaults, EveryUsageErrorExitsWithTwoAndOneLine) {
  test::ScratchDir dir;
  const auto config = dir.write("toy.json", toy_config()).string();
  const auto out = (dir.path() / "run").string();
  const std::vector<std::string> usage_errors = {
      "train --config " + config + " --out " + out + " --set train.steps",
      "train --config " + config + " --out " + out + " --set steps=3",
      "train --config " + config + " --out " + out + " --set =3",
      "train --config " + config + " --out " + out + " --set .steps=3",
      "pretrain --config " + config + " --out " + out + " --set train.",
      "finetune --config " + config + " --out " + out,
      "train --config " + config,
      "train --config " + config + " --out " + out + " --bogus",
      "train --config " + config + " --out " + out + " stray",
      "eval --run " + out + " --set nothing",
      "eval",
      "sweep --config " + config + " --out " + out + " --set oops",
      "sweep --out " + out,
      "demo-data --out " + out + " --seed abc",
      "demo-data",
      "score ner only-one-file",
      "score frobnicate a b",
      "report",
      "report " + out + " --loss-n abc",
      "plugins describe",
      "plugins list --bogus",
      "plugins frobnicate",
      "frobnicate",
  };
  for (const auto& arguments : usage_errors) {
    const auto result = test::run_datamux(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.out;
    EXPECT_CONTAINS(result.out, "datamux: error: ");
    EXPECT_EQ(std::count(result.out.begin(), result.out.end(), '\n'), 1) << arguments << "\n"
                                                                       << result.out;
    EXPECT_FALSE(fs::exists(out)) << arguments;
  }
  // A well-formed --set naming an unknown key is a config error (1), not a usage error.
  EXPECT_EQ(test::run_datamux("train --config " + config + " --out " + out + " --set train.stepz=3")
                .exit_code,
            1);
}

}  // namespace
}  // namespace datamux
