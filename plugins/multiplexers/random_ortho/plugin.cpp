// Options and registration of the "random_ortho" multiplexer.
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "random_ortho.h"
#include "support/context_checks.h"

namespace datamux::plugins::random_ortho {
namespace {

void declare_options(OptionSchema& schema) {
  schema.add_bool("learnable", false,
                  "train the matrices instead of keeping them fixed (they then drift from "
                  "orthogonal)");
}

std::shared_ptr<Multiplexer> create(const Options& options, const ModelContext& ctx) {
  support::check_num_instances("random_ortho", ctx);
  support::check_hidden_size("random_ortho", ctx);
  return std::make_shared<RandomOrtho>(ctx.num_instances, ctx.hidden_size,
                                       options.get_bool("learnable"), ctx.seed);
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Multiplexer> spec;
  spec.name = "random_ortho";
  spec.help = "rotate instance i by a fixed Haar-random orthogonal matrix, sum / sqrt(N)";
  spec.declare_options = declare_options;
  spec.create = create;
  registrar.add_multiplexer(std::move(spec));
}

}  // namespace datamux::plugins::random_ortho

DATAMUX_PLUGIN("random_ortho", "0.1.0", datamux::plugins::random_ortho::register_components)
