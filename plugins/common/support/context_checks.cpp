#include "context_checks.h"

#include "datamux/sdk/error.h"

namespace datamux::plugins::support {

void check_num_instances(const std::string& who, const ModelContext& ctx) {
  if (ctx.num_instances < 1)
    throw Error(who + ": num_instances is " + std::to_string(ctx.num_instances) +
                "; it must be at least 1");
}

void check_hidden_size(const std::string& who, const ModelContext& ctx) {
  if (ctx.hidden_size < 1)
    throw Error(who + ": the backbone's hidden size is unknown (" +
                std::to_string(ctx.hidden_size) + ")");
}

void check_vocabulary(const std::string& who, const ModelContext& ctx) {
  if (ctx.vocab_size <= 0)
    throw Error(who + ": the vocabulary size is " + std::to_string(ctx.vocab_size) +
                "; it must be positive");
  if (ctx.tokens.pad < 0 || ctx.tokens.pad >= ctx.vocab_size)
    throw Error(who + ": pad id " + std::to_string(ctx.tokens.pad) +
                " is outside the vocabulary of size " + std::to_string(ctx.vocab_size));
}

}  // namespace datamux::plugins::support
