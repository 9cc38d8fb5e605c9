// Validation and registration of the "index" demultiplexer (it has no options).
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "index_demultiplexer.h"
#include "support/context_checks.h"

namespace datamux::plugins::index {
namespace {

std::shared_ptr<Demultiplexer> create(const Options& /*options*/, const ModelContext& ctx) {
  const auto n = ctx.num_instances;
  support::check_num_instances("index", ctx);
  if (n > ctx.tokens.num_index)
    throw Error("index: num_instances " + std::to_string(n) + " exceeds the " +
                std::to_string(ctx.tokens.num_index) + " index tokens the vocabulary reserves");
  if (ctx.vocab_size > 0 && ctx.tokens.first_index + n > ctx.vocab_size)
    throw Error("index: index token " + std::to_string(ctx.tokens.first_index + n - 1) +
                " is outside the vocabulary of size " + std::to_string(ctx.vocab_size));
  support::check_hidden_size("index", ctx);
  return std::make_shared<IndexDemultiplexer>(ctx);
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Demultiplexer> spec;
  spec.name = "index";
  spec.help = "index-token prefix; instance i at position t is MLP([h_i ; h_t])";
  spec.declare_options = [](OptionSchema&) {};
  spec.create = create;
  registrar.add_demultiplexer(std::move(spec));
}

}  // namespace datamux::plugins::index

DATAMUX_PLUGIN("index", "0.1.0", datamux::plugins::index::register_components)
