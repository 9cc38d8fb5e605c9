// Registration of the "retrieval" task.
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "support/context_checks.h"
#include "retrieval.h"

namespace datamux::plugins::retrieval {
namespace {

std::shared_ptr<Task> create(const Options&, const ModelContext& ctx) {
  if (ctx.vocab_size < 1)
    throw Error("retrieval: the vocabulary size is unknown (" + std::to_string(ctx.vocab_size) +
                ")");
  support::check_hidden_size("retrieval", ctx);
  return std::make_shared<Retrieval>(ctx.hidden_size, ctx.vocab_size, ctx.seed);
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Task> spec;
  spec.name = "retrieval";
  spec.help = "DataMUX retrieval warm-up: predict a random instance's token at each position";
  spec.create = create;
  spec.declares.objective = true;  // needs no labels: the warm-up, and the finetuning's auxiliary
  registrar.add_task(std::move(spec));
}

}  // namespace datamux::plugins::retrieval

DATAMUX_PLUGIN("retrieval", "0.1.0", datamux::plugins::retrieval::register_components)
