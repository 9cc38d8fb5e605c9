// Registration of the non-multiplexed baseline: multiplexer "none" and demultiplexer "none"
// (neither has options nor parameters; both require model.num_instances = 1).
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "none_demultiplexer.h"
#include "none_multiplexer.h"

namespace datamux::plugins::baseline {
namespace {

void require_single_instance(const char* kind, const ModelContext& ctx) {
  if (ctx.num_instances != 1)
    throw Error(std::string(kind) +
                " 'none' is the non-multiplexed baseline and needs model.num_instances = 1, got " +
                std::to_string(ctx.num_instances));
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Multiplexer> multiplexer;
  multiplexer.name = "none";
  multiplexer.help = "non-multiplexed baseline (N = 1): passes the embeddings through";
  multiplexer.declare_options = [](OptionSchema&) {};
  multiplexer.create = [](const Options&, const ModelContext& ctx) -> std::shared_ptr<Multiplexer> {
    require_single_instance("multiplexer", ctx);
    return std::make_shared<NoneMultiplexer>();
  };
  registrar.add_multiplexer(std::move(multiplexer));

  ComponentSpec<Demultiplexer> demultiplexer;
  demultiplexer.name = "none";
  demultiplexer.help = "non-multiplexed baseline (N = 1): no prefix, sentence state at position 0";
  demultiplexer.declare_options = [](OptionSchema&) {};
  demultiplexer.create = [](const Options&,
                            const ModelContext& ctx) -> std::shared_ptr<Demultiplexer> {
    require_single_instance("demultiplexer", ctx);
    return std::make_shared<NoneDemultiplexer>();
  };
  demultiplexer.declares.layout = [](const Options&, std::int64_t) { return DemultiplexerLayout{}; };
  registrar.add_demultiplexer(std::move(demultiplexer));
}

}  // namespace datamux::plugins::baseline

DATAMUX_PLUGIN("baseline", "0.1.0", datamux::plugins::baseline::register_components)
