// Validation and registration of the "index" demultiplexer (it has no options).
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "index_demultiplexer.h"
#include "support/context_checks.h"

namespace datamux::plugins::index {
namespace {

void check_instances(std::int64_t n) {
  if (n > kMaxInstances)
    throw Error("index: num_instances " + std::to_string(n) + " exceeds the " +
                std::to_string(kMaxInstances) + " index tokens it reserves");
}

DemultiplexerLayout layout(const Options& /*options*/, std::int64_t num_instances) {
  check_instances(num_instances);
  return {IndexDemultiplexer::prefix_length(num_instances), reserved_token_names()};
}

std::shared_ptr<Demultiplexer> create(const Options& /*options*/, const ModelContext& ctx) {
  const auto n = ctx.num_instances;
  support::check_num_instances("index", ctx);
  check_instances(n);
  const auto names = reserved_token_names();
  if (ctx.reserved_tokens.size() != names.size())
    throw Error("index: got " + std::to_string(ctx.reserved_tokens.size()) + " reserved token ids for the " +
                std::to_string(names.size()) + " tokens it declares");
  for (std::size_t i = 0; i < names.size(); ++i)
    if (ctx.vocab_size > 0 && (ctx.reserved_tokens[i] < 0 || ctx.reserved_tokens[i] >= ctx.vocab_size))
      throw Error("index: reserved token " + names[i] + " has id " +
                  std::to_string(ctx.reserved_tokens[i]) + ", outside the vocabulary of size " +
                  std::to_string(ctx.vocab_size));
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
  spec.declares.layout = layout;
  registrar.add_demultiplexer(std::move(spec));
}

}  // namespace datamux::plugins::index

DATAMUX_PLUGIN("index", "0.1.0", datamux::plugins::index::register_components)
