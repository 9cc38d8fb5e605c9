#pragma once
// Analytic forward FLOPs of one encoder layer (sdk/flops.h convention), shared by the roberta
// and albert backbones. Kept apart from encoder_layer.cpp: the count depends only on the
// sizes, not on how the layer's kernels are arranged.
#include <cstdint>

#include "encoder_layer.h"

namespace datamux::plugins::transformer {

// One layer on `sequences` inputs of `length` positions: the fused QKV projection (d -> 3d),
// the attention scores (QK^T) and the weighted values (AV), the output projection (d -> d)
// and the feed-forward block (d -> intermediate -> d).
inline double encoder_layer_flops(const EncoderLayerConfig& config, std::int64_t sequences,
                                  std::int64_t length) {
  const double tokens = double(sequences) * double(length);
  const double d = double(config.hidden_size);
  const double ffn = double(config.intermediate_size);
  const double projections = 2 * tokens * (3 * d * d + d * d + 2 * d * ffn);
  const double attention = 2 * 2 * tokens * double(length) * d;  // QK^T and AV, all heads
  return projections + attention;
}

}  // namespace datamux::plugins::transformer
