#pragma once
// SentencePiece tokenizer with datamux's special ids (sdk/model_context.h SpecialTokens):
// pad 0, unk 1, bos 2, eos 3, then the symbols the components reserve (a demultiplexer's
// DemultiplexerLayout::reserved_tokens) in their order, then ordinary pieces. Models trained
// here always have that layout; a model loaded is checked for the special ids and for every
// reserved symbol the run needs (a warm-up's tokenizer serves its finetuning runs).
//
// SentencePiece runs in the helper program datamux-sentencepiece (see
// core/tools/sentencepiece_tool.cpp for why it cannot share a process with libtorch), so the
// interface works on whole batches of texts.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "datamux/sdk/model_context.h"

namespace datamux {

struct TokenizerTraining {
  std::int64_t vocab_size = 8000;  // an upper bound: small corpora get fewer pieces
  std::uint64_t seed = 1;
  int threads = 2;
  std::vector<std::string> reserved_tokens;  // symbols placed right after the special ids
};

class Tokenizer {
 public:
  // Trains a unigram model on `texts` and writes it to `model_file`.
  static void train(const std::vector<std::string>& texts, const std::filesystem::path& model_file,
                    const TokenizerTraining& options);
  // Fails, naming the symbol, when the model lacks one of `reserved_tokens`.
  static Tokenizer load(const std::filesystem::path& model_file,
                        const std::vector<std::string>& reserved_tokens = {});

  std::int64_t vocab_size() const { return vocab_size_; }
  const SpecialTokens& special() const { return special_; }
  // The ids of the reserved symbols asked for at load, in their order.
  const std::vector<std::int64_t>& reserved_ids() const { return reserved_ids_; }
  const std::filesystem::path& model_file() const { return model_file_; }

  // Piece ids of each text, without bos/eos. Line breaks inside a text count as spaces.
  std::vector<std::vector<std::int64_t>> encode_all(const std::vector<std::string>& texts) const;
  std::vector<std::int64_t> encode(const std::string& text) const;
  // Piece ids of each word on its own (with the word-boundary marker, as inside a sentence),
  // never empty: a word without pieces becomes unk.
  std::vector<std::vector<std::int64_t>> encode_words(const std::vector<std::string>& words) const;
  std::string decode(const std::vector<std::int64_t>& ids) const;

 private:
  Tokenizer() = default;

  std::filesystem::path model_file_;
  std::int64_t vocab_size_ = 0;
  SpecialTokens special_;
  std::vector<std::int64_t> reserved_ids_;
};

// The helper program beside libdatamux_core (lib/datamux-<version>/datamux-sentencepiece).
std::filesystem::path sentencepiece_tool();

}  // namespace datamux
