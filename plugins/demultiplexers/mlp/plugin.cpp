// Validation and registration of the "mlp" demultiplexer (it has no options).
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "mlp_demultiplexer.h"
#include "support/context_checks.h"

namespace datamux::plugins::mlp {
namespace {

std::shared_ptr<Demultiplexer> create(const Options& /*options*/, const ModelContext& ctx) {
  support::check_num_instances("mlp", ctx);
  support::check_hidden_size("mlp", ctx);
  return std::make_shared<MlpDemultiplexer>(ctx);
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Demultiplexer> spec;
  spec.name = "mlp";
  spec.help = "no prefix; instance i at every position is its own Linear+GELU+LayerNorm of h_t";
  spec.declare_options = [](OptionSchema&) {};
  spec.create = create;
  spec.declares.layout = [](const Options&, std::int64_t) { return DemultiplexerLayout{}; };
  registrar.add_demultiplexer(std::move(spec));
}

}  // namespace datamux::plugins::mlp

DATAMUX_PLUGIN("mlp", "0.1.0", datamux::plugins::mlp::register_components)
