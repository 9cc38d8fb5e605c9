#include "datamux/core/inference_scope.h"

#include <ATen/autocast_mode.h>

namespace datamux {

InferenceScope::InferenceScope() : cache_was_enabled_(at::autocast::is_autocast_cache_enabled()) {
  // Copies cached before this scope may be of older weights.
  at::autocast::clear_cache();
  at::autocast::set_autocast_cache_enabled(true);
}

InferenceScope::~InferenceScope() {
  at::autocast::clear_cache();  // the weights may change once the scope ends
  at::autocast::set_autocast_cache_enabled(cache_was_enabled_);
}

}  // namespace datamux
