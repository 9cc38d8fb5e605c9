// Options and registration of the "binary_hadamard" multiplexer.
#include <memory>
#include <string>

#include "binary_hadamard.h"
#include "datamux/sdk/sdk.h"
#include "support/context_checks.h"

namespace datamux::plugins::binary_hadamard {
namespace {

void declare_options(OptionSchema& schema) {
  schema.add_int("overlap", 0,
                 "dimensions each instance's chunk extends into each neighbouring chunk", 0);
}

std::shared_ptr<Multiplexer> create(const Options& options, const ModelContext& ctx) {
  support::check_num_instances("binary_hadamard", ctx);
  support::check_hidden_size("binary_hadamard", ctx);
  if (ctx.num_instances > ctx.hidden_size)
    throw Error("binary_hadamard: num_instances " + std::to_string(ctx.num_instances) +
                " exceeds the hidden size " + std::to_string(ctx.hidden_size) +
                ", so some instance would own no dimension");
  return std::make_shared<BinaryHadamard>(ctx.num_instances, ctx.hidden_size,
                                          options.get_int("overlap"));
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Multiplexer> spec;
  spec.name = "binary_hadamard";
  spec.help = "keep instance i's own contiguous chunk of the d dimensions, average the group";
  spec.declare_options = declare_options;
  spec.create = create;
  registrar.add_multiplexer(std::move(spec));
}

}  // namespace datamux::plugins::binary_hadamard

DATAMUX_PLUGIN("binary_hadamard", "0.1.0",
               datamux::plugins::binary_hadamard::register_components)
