// The task plugins (token_classification, retrieval, sequence_classification), loaded through
// the core: head shapes, which positions the losses count, the retrieval draw against an
// explicit loop, and metrics accumulated over batches.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <map>
#include <string>

#include "datamux/core/plugin_search_path.h"
#include "datamux/sdk/metrics.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// The tiny test model with another task plugin.
std::string config_with_task(const std::string& task, std::int64_t n = 2) {
  return test::tiny_config(n, R"("task": {"plugin": ")" + task + R"("})");
}

// A task created by its plugin's own ComponentSpec, with a ModelContext chosen by the test.
struct DirectTask {
  std::unique_ptr<PluginHost> plugins;
  std::shared_ptr<Task> task;
};

DirectTask create_task(const std::string& name, const ModelContext& context) {
  DirectTask made;
  made.plugins = std::make_unique<PluginHost>(plugin_search_path({}));
  const ResolvedConfig config = resolve_config(
      ExperimentConfig::from_json_text(config_with_task(name), "<test config>"), *made.plugins);
  made.task = made.plugins->require<Task>(name).spec.create(config.task.section.options, context);
  return made;
}

std::string create_error(const std::string& name, const ModelContext& context) {
  try {
    create_task(name, context);
  } catch (const Error& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected datamux::Error";
  return "";
}

std::map<std::string, double> as_map(const MetricValues& values) {
  return std::map<std::string, double>(values.begin(), values.end());
}

std::vector<std::string> names_of(const MetricValues& values) {
  std::vector<std::string> names;
  for (const auto& [name, value] : values) names.push_back(name);
  return names;
}

// The names among `values` that `metric` declares counts (the rest are scores).
std::vector<std::string> counts_of(const Metric& metric, const MetricValues& values) {
  std::vector<std::string> counts;
  for (const auto& [name, value] : values)
    if (metric.kind(name) == MetricKind::kCount) counts.push_back(name);
  return counts;
}

const std::vector<std::string> kNerTags{"O", "B-PER", "I-PER", "B-LOC", "I-LOC"};

ModelContext ner_context(std::int64_t hidden = 16) {
  ModelContext context;
  context.num_instances = 2;
  context.vocab_size = 100;
  context.hidden_size = hidden;
  context.label_names = kNerTags;
  context.num_labels = static_cast<std::int64_t>(kNerTags.size());
  context.seed = 5;
  return context;
}

// ---------------------------------------------------------------- token_classification

TEST(TokenClassificationTask, ShapesAndLossThroughTheModel) {
  const std::int64_t n = 2, groups = 3, length = 9, classes = 5;
  auto built = test::build_from_config(config_with_task("token_classification", n), 100, classes);
  EXPECT_FALSE(built.model->task().reads().sentence);
  EXPECT_TRUE(built.model->task().reads().tokens);
  EXPECT_EQ(built.model->task().primary_metric(), "f1");
  Batch batch = test::random_batch(groups, n, length, 100, classes, 11);
  torch::manual_seed(1);
  batch.labels = torch::randint(classes, {groups * n, length}, torch::kLong)
                     .masked_fill(batch.attention_mask.logical_not(), kIgnoreLabel);
  const ForwardResult result = built.model->forward(batch);
  EXPECT_EQ(result.states.tokens.sizes(),
            (std::vector<std::int64_t>{groups * n, length, result.states.tokens.size(2)}));
  EXPECT_EQ(result.task.logits.sizes(), (std::vector<std::int64_t>{groups * n, length, classes}));
  EXPECT_TRUE(torch::isfinite(result.task.loss).item<bool>());
  EXPECT_TRUE(torch::isfinite(result.loss).item<bool>());
  result.loss.backward();
}

TEST(TokenClassificationTask, LossCountsOnlyLabelledPositions) {
  auto made = create_task("token_classification", ner_context());
  Task& task = *made.task;
  task.eval();  // no dropout
  torch::manual_seed(2);
  const std::int64_t rows = 4, length = 6, d = 16;
  const torch::Tensor states = torch::randn({rows, length, d});
  torch::Tensor labels = torch::randint(5, {rows, length}, torch::kLong);
  // Later sub-tokens and pads carry no label: every third position and the last two of row 3.
  for (std::int64_t t = 1; t < length; t += 3) labels.select(1, t).fill_(kIgnoreLabel);
  labels[3].slice(0, length - 2).fill_(kIgnoreLabel);
  const torch::Tensor ignored = labels.eq(kIgnoreLabel);

  Batch batch;
  batch.labels = labels;
  DemuxedStates in;
  in.tokens = states.clone().requires_grad_(true);
  const TaskOutput out = task.forward(in, batch);
  EXPECT_EQ(out.logits.sizes(), (std::vector<std::int64_t>{rows, length, 5}));

  // The mean cross-entropy over the labelled positions only.
  const torch::Tensor keep = ignored.logical_not();
  const torch::Tensor expected =
      torch::nn::functional::cross_entropy(out.logits.detach().index({keep}), labels.index({keep}));
  EXPECT_NEAR(out.loss.item<double>(), expected.item<double>(), 1e-6);

  // Other states (hence other logits) at the unlabelled positions change nothing ...
  DemuxedStates changed;
  changed.tokens = states + 10 * torch::randn_like(states) * ignored.unsqueeze(-1);
  const TaskOutput other = task.forward(changed, batch);
  EXPECT_FALSE(torch::allclose(other.logits, out.logits));
  EXPECT_NEAR(other.loss.item<double>(), out.loss.item<double>(), 1e-6);
  // ... and they receive no gradient.
  out.loss.backward();
  EXPECT_EQ(in.tokens.grad().index({ignored}).abs().sum().item<double>(), 0.0);
  EXPECT_GT(in.tokens.grad().index({keep}).abs().sum().item<double>(), 0.0);

  // A batch without any labelled position has loss 0, not NaN.
  batch.labels = torch::full({rows, length}, kIgnoreLabel, torch::kLong);
  const TaskOutput none = task.forward(in, batch);
  EXPECT_EQ(none.loss.item<double>(), 0.0);
}

// One-hot logits predicting `predicted` at every position.
torch::Tensor logits_for(const std::vector<std::vector<std::int64_t>>& predicted,
                         std::int64_t classes) {
  const auto rows = static_cast<std::int64_t>(predicted.size());
  const auto length = static_cast<std::int64_t>(predicted[0].size());
  torch::Tensor logits = torch::zeros({rows, length, classes});
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t t = 0; t < length; ++t) logits[r][t][predicted[r][t]] = 1.0;
  return logits;
}

torch::Tensor label_tensor(const std::vector<std::vector<std::int64_t>>& labels) {
  const auto rows = static_cast<std::int64_t>(labels.size());
  const auto length = static_cast<std::int64_t>(labels[0].size());
  torch::Tensor out = torch::empty({rows, length}, torch::kLong);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t t = 0; t < length; ++t) out[r][t] = labels[r][t];
  return out;
}

TEST(TokenClassificationTask, MetricIsConllOverLabelledPositionsAcrossBatches) {
  auto made = create_task("token_classification", ner_context());
  auto metric = made.task->make_metric();
  constexpr std::int64_t X = kIgnoreLabel;
  // Tags: 0 O, 1 B-PER, 2 I-PER, 3 B-LOC, 4 I-LOC.
  // Batch 1, row 0: "Jim(2 sub-tokens) Smith visited Paris <pad>":
  //   gold over the labelled positions  B-PER I-PER O B-LOC
  //   predicted there                   B-PER I-PER O O
  //   The prediction B-LOC at the unlabelled second sub-token would split the PER chunk if
  //   it were counted. Row 1 has no labelled position (a filler instance) and is skipped.
  Batch first;
  first.labels = label_tensor({{1, X, 2, 0, 3, X}, {X, X, X, X, X, X}});
  const auto first_logits = logits_for({{1, 3, 2, 0, 0, 4}, {1, 1, 1, 1, 1, 1}}, 5);
  metric->update(first_logits, first.labels, first);
  // Batch 2: gold B-LOC I-LOC, predicted B-LOC I-LOC (the pad predicts B-PER).
  Batch second;
  second.labels = label_tensor({{3, 4, X}});
  metric->update(logits_for({{3, 4, 1}}, 5), second.labels, second);

  // gold chunks PER, LOC, LOC = 3; predicted PER, LOC = 2; correct 2.
  // P = 1, R = 2/3, F1 = 0.8; tags right on 3 of 4 + 2 of 2 words.
  const MetricValues values = metric->compute();
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"precision", "recall", "f1",
                                                        "token_accuracy", "sentences"}));
  EXPECT_EQ(counts_of(*metric, values), std::vector<std::string>{"sentences"});
  const auto m = as_map(values);
  EXPECT_DOUBLE_EQ(m.at("precision"), 1.0);
  EXPECT_DOUBLE_EQ(m.at("recall"), 2.0 / 3.0);
  EXPECT_NEAR(m.at("f1"), 0.8, 1e-12);
  EXPECT_DOUBLE_EQ(m.at("token_accuracy"), 5.0 / 6.0);
  EXPECT_EQ(m.at("sentences"), 2.0);

  // The same sequences through the counter directly.
  metrics::ConllCounter counter;
  counter.add_sentence({"B-PER", "I-PER", "O", "B-LOC"}, {"B-PER", "I-PER", "O", "O"});
  counter.add_sentence({"B-LOC", "I-LOC"}, {"B-LOC", "I-LOC"});
  EXPECT_DOUBLE_EQ(m.at("f1"), counter.f1());
}

TEST(TokenClassificationTask, MetricScoresTruncatedWordsAsPredictedO) {
  auto made = create_task("token_classification", ner_context());
  auto metric = made.task->make_metric();
  constexpr std::int64_t X = kIgnoreLabel;
  // Tags: 0 O, 1 B-PER, 2 I-PER, 3 B-LOC, 4 I-LOC.
  // Row 0 "Jim Smith visited Paris | Berlin": the model saw "Jim Smith visited" and tagged it
  //   B-PER B-PER O (the PER chunk ends too early); "Paris" and "Berlin" were cut off.
  // Row 1 "Maria Novak | spoke": seen B-PER, predicted B-PER; I-PER and O were cut off, so the
  //   predicted one-word PER chunk does not match the gold two-word chunk.
  // Row 2 lost nothing.
  Batch batch;
  batch.labels = label_tensor({{1, 2, 0, X}, {1, X, X, X}, {3, 0, X, X}});
  batch.truncated_labels = label_tensor({{3, 3}, {2, 0}, {X, X}});
  metric->update(logits_for({{1, 1, 0, 0}, {1, 0, 0, 0}, {3, 0, 0, 0}}, 5), batch.labels, batch);

  // What conlleval gives for the whole sentences, every cut-off word tagged O.
  metrics::ConllCounter whole;
  whole.add_sentence({"B-PER", "I-PER", "O", "B-LOC", "B-LOC"}, {"B-PER", "B-PER", "O", "O", "O"});
  whole.add_sentence({"B-PER", "I-PER", "O"}, {"B-PER", "O", "O"});
  whole.add_sentence({"B-LOC", "O"}, {"B-LOC", "O"});
  const auto m = as_map(metric->compute());
  EXPECT_DOUBLE_EQ(m.at("precision"), whole.precision());
  EXPECT_DOUBLE_EQ(m.at("recall"), whole.recall());
  EXPECT_DOUBLE_EQ(m.at("f1"), whole.f1());
  EXPECT_DOUBLE_EQ(m.at("token_accuracy"), whole.token_accuracy());
  EXPECT_EQ(m.at("sentences"), 3.0);
  // gold PER PER LOC LOC LOC = 5 chunks, predicted PER PER PER LOC = 4, correct: the LOC.
  EXPECT_DOUBLE_EQ(m.at("recall"), 1.0 / 5.0);
  EXPECT_DOUBLE_EQ(m.at("precision"), 1.0 / 4.0);

  Batch wrong = batch;
  wrong.truncated_labels = label_tensor({{3, 3}});
  EXPECT_THROW(metric->update(logits_for({{1, 1, 0, 0}, {1, 0, 0, 0}, {3, 0, 0, 0}}, 5), wrong.labels, wrong),
               Error);
}

TEST(TokenClassificationTask, NeedsTagNamesForEveryLabel) {
  ModelContext context = ner_context();
  context.label_names.clear();
  EXPECT_CONTAINS(create_error("token_classification", context), "label_names is empty");
  context = ner_context();
  context.label_names.pop_back();
  EXPECT_CONTAINS(create_error("token_classification", context), "4 tag names for 5 labels");
}

// ---------------------------------------------------------------- retrieval

ModelContext retrieval_context(std::int64_t hidden, std::int64_t vocab) {
  ModelContext context;
  context.num_instances = 3;
  context.vocab_size = vocab;
  context.hidden_size = hidden;
  context.seed = 9;
  return context;
}

Batch retrieval_batch(std::int64_t groups, std::int64_t n, std::int64_t length,
                      std::int64_t vocab) {
  Batch batch;
  batch.num_instances = n;
  batch.input_ids = torch::randint(vocab, {groups * n, length}, torch::kLong);
  batch.attention_mask = torch::rand({groups * n, length}).gt(0.3);  // ~30% pads
  return batch;  // labels stay undefined: retrieval does not use them
}

TEST(RetrievalTask, ShapesAndFiniteLossThroughTheModel) {
  const std::int64_t n = 3, groups = 2, length = 7, vocab = 100;
  auto built = test::build_from_config(config_with_task("retrieval", n), vocab, 0);
  EXPECT_FALSE(built.model->task().reads().sentence);
  EXPECT_TRUE(built.model->task().reads().tokens);
  EXPECT_EQ(built.model->task().primary_metric(), "accuracy");
  Batch batch = test::random_batch(groups, n, length, vocab, 2, 4);
  batch.labels = torch::Tensor();
  torch::manual_seed(3);
  const ForwardResult result = built.model->forward(batch);
  // One row per group: the prediction for the instance drawn at each position.
  EXPECT_EQ(result.task.logits.sizes(), (std::vector<std::int64_t>{groups, length, vocab}));
  EXPECT_TRUE(torch::isfinite(result.loss).item<bool>());
  EXPECT_GT(result.loss.item<double>(), 0.0);
  result.loss.backward();
}

TEST(RetrievalTask, LossMatchesAnExplicitLoopOverTheDrawnInstances) {
  const std::int64_t n = 3, groups = 2, length = 5, d = 8, vocab = 30;
  auto made = create_task("retrieval", retrieval_context(d, vocab));
  Task& task = *made.task;
  torch::manual_seed(21);
  const Batch batch = retrieval_batch(groups, n, length, vocab);
  DemuxedStates in;
  in.tokens = torch::randn({groups * n, length, d}).requires_grad_(true);

  torch::manual_seed(7);
  const TaskOutput out = task.forward(in, batch);
  torch::manual_seed(7);  // the same draw: one instance per (group, position)
  const torch::Tensor k = torch::randint(n, {groups, length}, torch::kLong);

  std::map<std::string, torch::Tensor> p;
  for (const auto& item : task.named_parameters()) p[item.key()] = item.value().detach();
  ASSERT_EQ(p.size(), 6u);
  torch::NoGradGuard no_grad;
  double loss_sum = 0;
  std::int64_t counted = 0;
  torch::Tensor selected = torch::zeros({groups * n, length}, torch::kBool);
  for (std::int64_t b = 0; b < groups; ++b) {
    for (std::int64_t t = 0; t < length; ++t) {
      const std::int64_t row = b * n + k[b][t].item<std::int64_t>();
      const torch::Tensor state = in.tokens[row][t].detach();
      torch::Tensor h = torch::gelu(torch::matmul(p["dense.weight"], state) + p["dense.bias"]);
      h = torch::layer_norm(h, {d}, p["layer_norm.weight"], p["layer_norm.bias"], 1e-5);
      const torch::Tensor logit = torch::matmul(p["decoder.weight"], h) + p["decoder.bias"];
      EXPECT_TRUE(torch::allclose(out.logits[b][t].detach(), logit, 1e-5, 1e-6))
          << "group " << b << " position " << t;
      if (!batch.attention_mask[row][t].item<bool>()) continue;  // a pad of instance k
      selected[row][t] = true;
      loss_sum -= torch::log_softmax(logit, 0)[batch.input_ids[row][t]].item<double>();
      ++counted;
    }
  }
  ASSERT_GT(counted, 0);
  EXPECT_NEAR(out.loss.item<double>(), loss_sum / double(counted), 1e-5);

  // Only the drawn, real (instance, position) states get a gradient.
  {
    torch::AutoGradMode enable(true);
    out.loss.backward();
  }
  const torch::Tensor grad_norm = in.tokens.grad().abs().sum(-1);
  EXPECT_EQ(grad_norm.index({selected.logical_not()}).sum().item<double>(), 0.0);
  EXPECT_TRUE(grad_norm.index({selected}).gt(0).all().item<bool>());
}

TEST(RetrievalTask, PaddedPositionsOfTheDrawnInstanceAreIgnored) {
  const std::int64_t n = 3, groups = 2, length = 6, d = 8, vocab = 30;
  auto made = create_task("retrieval", retrieval_context(d, vocab));
  Task& task = *made.task;
  torch::manual_seed(5);
  Batch batch = retrieval_batch(groups, n, length, vocab);
  DemuxedStates in;
  in.tokens = torch::randn({groups * n, length, d});
  const torch::Tensor pads = batch.attention_mask.logical_not();

  torch::manual_seed(11);
  const double loss = task.forward(in, batch).loss.item<double>();
  EXPECT_TRUE(std::isfinite(loss));

  // Other token ids and other states at the pads: the same loss under the same draw.
  Batch other = batch;
  other.input_ids = batch.input_ids.masked_fill(pads, 1);
  DemuxedStates changed;
  changed.tokens = in.tokens + 5 * torch::randn_like(in.tokens) * pads.unsqueeze(-1);
  torch::manual_seed(11);
  EXPECT_NEAR(task.forward(changed, other).loss.item<double>(), loss, 1e-6);

  // Everything padded: loss 0, not NaN.
  other.attention_mask = torch::zeros_like(batch.attention_mask);
  EXPECT_EQ(task.forward(in, other).loss.item<double>(), 0.0);
}

TEST(RetrievalTask, FreshDrawPerForwardFixedByTheSeed) {
  const std::int64_t n = 4, groups = 2, length = 32, d = 8, vocab = 30;
  ModelContext context = retrieval_context(d, vocab);
  context.num_instances = n;
  auto made = create_task("retrieval", context);
  torch::manual_seed(1);
  const Batch batch = retrieval_batch(groups, n, length, vocab);
  DemuxedStates in;
  in.tokens = torch::randn({groups * n, length, d});  // every instance's states differ

  torch::manual_seed(2);
  const torch::Tensor first = made.task->forward(in, batch).logits;
  const torch::Tensor second = made.task->forward(in, batch).logits;
  EXPECT_FALSE(torch::allclose(first, second)) << "the same draw twice";
  torch::manual_seed(2);
  EXPECT_TRUE(torch::equal(made.task->forward(in, batch).logits, first));
}

TEST(RetrievalTask, MetricIsTokenAccuracyOfTheDrawAcrossBatches) {
  const std::int64_t n = 3, groups = 2, length = 6, d = 8, vocab = 5;  // small vocab: some hits
  auto made = create_task("retrieval", retrieval_context(d, vocab));
  auto metric = made.task->make_metric();
  std::int64_t correct = 0, counted = 0;
  for (std::uint64_t seed : {31u, 32u}) {
    torch::manual_seed(seed);
    const Batch batch = retrieval_batch(groups, n, length, vocab);
    DemuxedStates in;
    in.tokens = torch::randn({groups * n, length, d});
    torch::manual_seed(seed + 100);
    const TaskOutput out = made.task->forward(in, batch);
    metric->update(out.logits, out.targets, batch);
    torch::manual_seed(seed + 100);
    const torch::Tensor k = torch::randint(n, {groups, length}, torch::kLong);
    const torch::Tensor predicted = out.logits.argmax(-1);
    for (std::int64_t b = 0; b < groups; ++b)
      for (std::int64_t t = 0; t < length; ++t) {
        const std::int64_t row = b * n + k[b][t].item<std::int64_t>();
        if (!batch.attention_mask[row][t].item<bool>()) continue;
        ++counted;
        const std::int64_t target = batch.input_ids[row][t].item<std::int64_t>();
        correct += predicted[b][t].item<std::int64_t>() == target;
      }
  }
  const MetricValues values = metric->compute();
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"accuracy", "positions"}));
  EXPECT_EQ(counts_of(*metric, values), std::vector<std::string>{"positions"});
  EXPECT_DOUBLE_EQ(values[0].second, double(correct) / double(counted));
  EXPECT_EQ(values[1].second, double(counted));

  // The metric scores exactly the targets it is given: mismatched shapes are an error, and
  // no targets count nothing.
  EXPECT_THROW(metric->update(torch::zeros({groups, length, vocab}),
                              torch::zeros({groups, length + 1}, torch::kLong), Batch{}),
               Error);
  metric->update(torch::zeros({groups, length, vocab}), torch::Tensor(), Batch{});
  EXPECT_EQ(metric->compute()[1].second, double(counted));
}

TEST(RetrievalTask, NeedsAVocabulary) {
  EXPECT_CONTAINS(create_error("retrieval", retrieval_context(8, 0)), "vocabulary size");
}

// ---------------------------------------------------------------- sequence_classification

TEST(SequenceClassificationTask, BinaryMetricAddsF1OfLabelOne) {
  auto built = test::build_from_config(test::tiny_config(2), 100, 2);
  auto metric = built.model->task().make_metric();
  // Over two batches, gold 1 0 1 | 1 (ignored) 0, predicted 1 1 0 | 1 (1) 0:
  // right on 3 of the 5 counted rows; TP 2, FP 1, FN 1 -> F1 = 2*2 / (2*2 + 1 + 1) = 2/3.
  Batch first;
  first.labels = torch::tensor(std::vector<std::int64_t>{1, 0, 1});
  metric->update(torch::tensor({{0.f, 1.f}, {0.f, 1.f}, {1.f, 0.f}}), first.labels, first);
  Batch second;
  second.labels = torch::tensor(std::vector<std::int64_t>{1, kIgnoreLabel, 0});
  metric->update(torch::tensor({{0.f, 1.f}, {0.f, 1.f}, {1.f, 0.f}}), second.labels, second);
  const MetricValues values = metric->compute();
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"accuracy", "f1", "examples"}));
  EXPECT_EQ(counts_of(*metric, values), std::vector<std::string>{"examples"});
  EXPECT_DOUBLE_EQ(values[0].second, 3.0 / 5.0);
  EXPECT_DOUBLE_EQ(values[1].second, 2.0 / 3.0);
  EXPECT_EQ(values[2].second, 5.0);
}

// The tiny test config whose sequence_classification section also sets `options`.
std::string classification_config(const std::string& options) {
  std::string config = test::tiny_config(2);
  const std::string from = R"("plugin": "sequence_classification")";
  const auto at = config.find(from);
  EXPECT_NE(at, std::string::npos);
  return config.replace(at, from.size(), from + ", " + options);
}

TEST(SequenceClassificationTask, MeanPoolingAveragesEachInstancesOwnTokenStates) {
  auto cls = test::build_from_config(test::tiny_config(2), 100, 2);
  auto mean = test::build_from_config(classification_config(R"("pooling": "mean")"), 100, 2);
  // Each reads only the state it pools: mean pooling is a sentence task reading token states.
  EXPECT_TRUE(cls.model->task().reads().sentence);
  EXPECT_FALSE(cls.model->task().reads().tokens);
  EXPECT_FALSE(mean.model->task().reads().sentence);
  ASSERT_TRUE(mean.model->task().reads().tokens);
  Task& head = mean.model->task();
  head.eval();  // no dropout

  // Rows of 2, 4 and 3 real tokens; the padding holds large values that must not count.
  const std::int64_t rows = 3, length = 4, d = head.named_parameters()["dense.weight"].size(1);
  torch::manual_seed(4);
  Batch batch;
  batch.attention_mask =
      torch::tensor({1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0}).reshape({rows, length}).to(torch::kBool);
  DemuxedStates states;
  states.tokens = torch::randn({rows, length, d}).masked_fill(
      batch.attention_mask.logical_not().unsqueeze(-1), 1e4);
  const torch::Tensor pooled = head.forward(states, batch).logits;

  // The same head on the explicit means, through the sentence path.
  std::vector<torch::Tensor> means;
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto real = batch.attention_mask[r].sum().item<std::int64_t>();
    means.push_back(states.tokens[r].narrow(0, 0, real).mean(0));
  }
  const auto& weights = head.named_parameters();
  auto expected = torch::tanh(
      torch::linear(torch::stack(means), weights["dense.weight"], weights["dense.bias"]));
  expected = torch::linear(expected, weights["out_proj.weight"], weights["out_proj.bias"]);
  EXPECT_TRUE(torch::allclose(pooled, expected, 1e-5, 1e-5)) << pooled << expected;

  // Through the model, on a batch: the loss is finite and reaches the backbone.
  Batch random = test::random_batch(2, 2, 6, 100, 2, 9);
  const ForwardResult result = mean.model->forward(random);
  EXPECT_TRUE(torch::isfinite(result.loss).item<bool>());
  EXPECT_FALSE(result.states.sentence.defined());
  result.loss.backward();
}

TEST(SequenceClassificationTask, PoolingIsClsOrMean) {
  EXPECT_THROW(test::build_from_config(classification_config(R"("pooling": "max")"), 100, 2),
               Error);
}

TEST(SequenceClassificationTask, MoreLabelsReportAccuracyOnly) {
  auto built = test::build_from_config(test::tiny_config(2), 100, 3);
  auto metric = built.model->task().make_metric();
  Batch batch;
  batch.labels = torch::tensor(std::vector<std::int64_t>{2, 1});
  metric->update(torch::tensor({{0.f, 0.f, 1.f}, {1.f, 0.f, 0.f}}), batch.labels, batch);
  const MetricValues values = metric->compute();
  EXPECT_EQ(names_of(values), (std::vector<std::string>{"accuracy", "examples"}));
  EXPECT_DOUBLE_EQ(values[0].second, 0.5);
}

}  // namespace
}  // namespace datamux
