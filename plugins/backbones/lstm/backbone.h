#pragma once
// A bidirectional LSTM encoder (the "Beyond DataMUX" LSTM model) trained from scratch:
// per-instance token embedding without positions (the LSTM is order-aware), and a
// multi-layer BiLSTM over the multiplexed mixture.
#include <cstdint>

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/rnn.h>

#include "config.h"
#include "datamux/sdk/backbone.h"

namespace datamux::plugins::lstm {

class LstmBackbone : public Backbone {
 public:
  explicit LstmBackbone(const LstmConfig& config);

  // The concatenated width of both directions, 2 * hidden_size (= embedding_size).
  std::int64_t hidden_size() const override { return 2 * config_.hidden_size; }
  // (B*N, L') ids -> (B*N, L', E).
  torch::Tensor embed(const torch::Tensor& input_ids) override;
  // (B, L', E) mixture -> (B, L', 2h). With masking on, the right-padded pads are packed away
  // and come back as zeros; with it off the LSTM runs over every position (the reference).
  // time_major_reference runs the recurrence across the B groups instead (see config.h).
  torch::Tensor encode(const torch::Tensor& mixed, const torch::Tensor& mask) override;
  // Embedding look-ups only: no counted FLOPs.
  FlopCount embed_flops(const FlopShape&) const override { return 0.0; }
  // Every layer and direction: the four gates from the input and from the previous state.
  FlopCount encode_flops(const FlopShape& shape) const override;

 private:
  // Embedding normal(0, 0.02), LSTM weights uniform(-1/sqrt(h), 1/sqrt(h)), from the seed.
  void reset_parameters();

  LstmConfig config_;
  torch::nn::Embedding word_embeddings_{nullptr};
  torch::nn::Dropout embed_dropout_{nullptr};
  torch::nn::LSTM lstm_{nullptr};
};

}  // namespace datamux::plugins::lstm
