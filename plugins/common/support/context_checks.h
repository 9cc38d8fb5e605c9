#pragma once
// Checks that the model context suits a component, made when the component is created. Several
// components need the same facts, so each check is written once and its message reads the same
// everywhere; `who` (the component's name) starts the message of the datamux::Error thrown.
#include <string>

#include "datamux/sdk/model_context.h"

namespace datamux::plugins::support {

// N = ctx.num_instances must be at least 1.
void check_num_instances(const std::string& who, const ModelContext& ctx);

// The backbone's width d = ctx.hidden_size must be known (at least 1).
void check_hidden_size(const std::string& who, const ModelContext& ctx);

// The vocabulary must be non-empty and contain the pad id.
void check_vocabulary(const std::string& who, const ModelContext& ctx);

}  // namespace datamux::plugins::support
