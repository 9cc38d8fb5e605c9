// Options and registration of the "sequence_classification" task.
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "support/context_checks.h"
#include "sequence_classification.h"

namespace datamux::plugins::sequence_classification {
namespace {

void declare_options(OptionSchema& schema) {
  schema.add_float("classifier_dropout", 0.1, "dropout before each layer of the head", 0.0, 1.0);
  schema.add_string("pooling", "cls",
                    "the instance's sentence state: cls = the demultiplexer's sentence state (the "
                    "reference's CLS slot), mean = the mean of its demultiplexed token states over "
                    "its own tokens (learns in far fewer steps after a retrieval warm-up)",
                    {"cls", "mean"});
}

std::shared_ptr<Task> create(const Options& options, const ModelContext& ctx) {
  if (ctx.num_labels < 2)
    throw Error("sequence_classification: the training data has " +
                std::to_string(ctx.num_labels) + " label(s); at least 2 are needed");
  support::check_hidden_size("sequence_classification", ctx);
  const Pooling pooling = options.get_string("pooling") == "mean" ? Pooling::kMean : Pooling::kCls;
  return std::make_shared<SequenceClassification>(ctx.hidden_size, ctx.num_labels,
                                                  options.get_float("classifier_dropout"),
                                                  pooling, ctx.seed);
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Task> spec;
  spec.name = "sequence_classification";
  spec.help = "one label per instance; RoBERTa classification head; accuracy (+ F1 for 2 labels)";
  spec.declare_options = declare_options;
  spec.create = create;
  registrar.add_task(std::move(spec));
}

}  // namespace datamux::plugins::sequence_classification

DATAMUX_PLUGIN("sequence_classification", "0.1.0",
               datamux::plugins::sequence_classification::register_components)
