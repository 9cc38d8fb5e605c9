// Options and registration of the "token_classification" task.
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "support/context_checks.h"
#include "token_classification.h"

namespace datamux::plugins::token_classification {
namespace {

void declare_options(OptionSchema& schema) {
  schema.add_float("classifier_dropout", 0.1, "dropout before the linear head", 0.0, 1.0);
}

std::shared_ptr<Task> create(const Options& options, const ModelContext& ctx) {
  if (ctx.num_labels < 2)
    throw Error("token_classification: the training data has " +
                std::to_string(ctx.num_labels) + " tag(s); at least 2 are needed");
  if (ctx.label_names.empty())
    throw Error("token_classification: the tag names are unknown (ModelContext::label_names "
                "is empty); entity-level F1 needs them");
  if (static_cast<std::int64_t>(ctx.label_names.size()) != ctx.num_labels)
    throw Error("token_classification: " + std::to_string(ctx.label_names.size()) +
                " tag names for " + std::to_string(ctx.num_labels) + " labels");
  support::check_hidden_size("token_classification", ctx);
  return std::make_shared<TokenClassification>(ctx.hidden_size, ctx.label_names,
                                               options.get_float("classifier_dropout"),
                                               ctx.seed);
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Task> spec;
  spec.name = "token_classification";
  spec.help = "one tag per word (first sub-token); linear head; conlleval entity-level F1";
  spec.declare_options = declare_options;
  spec.create = create;
  registrar.add_task(std::move(spec));
}

}  // namespace datamux::plugins::token_classification

DATAMUX_PLUGIN("token_classification", "0.1.0",
               datamux::plugins::token_classification::register_components)
