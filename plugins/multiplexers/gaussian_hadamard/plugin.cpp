// Options and registration of the "gaussian_hadamard" multiplexer.
#include <memory>
#include <string>

#include "datamux/sdk/sdk.h"
#include "gaussian_hadamard.h"
#include "support/context_checks.h"

namespace datamux::plugins::gaussian_hadamard {
namespace {

void declare_options(OptionSchema& schema) {
  // Bounds are inclusive, so a tiny positive minimum stands for "norm > 0".
  schema
      .add_float("norm", 20.0, "L2 norm of each instance's vector phi_i (20 in the reference)",
                 1e-12)
      .add_bool("learnable", false, "train phi instead of keeping it fixed");
}

std::shared_ptr<Multiplexer> create(const Options& options, const ModelContext& ctx) {
  support::check_num_instances("gaussian_hadamard", ctx);
  support::check_hidden_size("gaussian_hadamard", ctx);
  return std::make_shared<GaussianHadamard>(ctx.num_instances, ctx.hidden_size,
                                            options.get_float("norm"),
                                            options.get_bool("learnable"), ctx.seed);
}

}  // namespace

void register_components(Registrar& registrar) {
  ComponentSpec<Multiplexer> spec;
  spec.name = "gaussian_hadamard";
  spec.help = "scale instance i by a fixed Gaussian vector phi_i and average the group";
  spec.declare_options = declare_options;
  spec.create = create;
  registrar.add_multiplexer(std::move(spec));
}

}  // namespace datamux::plugins::gaussian_hadamard

DATAMUX_PLUGIN("gaussian_hadamard", "0.1.0",
               datamux::plugins::gaussian_hadamard::register_components)
