#pragma once
// SentencePiece tokenizer with datamux's reserved ids (sdk/model_context.h SpecialTokens):
// pad 0, unk 1, bos 2, eos 3, the index prefix's CLS slot 4 and filler 5, then the index
// tokens, then ordinary pieces. Models trained here always have that layout; a model from
// elsewhere is checked for it when loaded.
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
};

class Tokenizer {
 public:
  // Trains a unigram model on `texts` and writes it to `model_file`.
  static void train(const std::vector<std::string>& texts, const std::filesystem::path& model_file,
                    const TokenizerTraining& options);
  static Tokenizer load(const std::filesystem::path& model_file);

  std::int64_t vocab_size() const { return vocab_size_; }
  const SpecialTokens& special() const { return special_; }
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
};

// The helper program beside libdatamux_core (lib/datamux-<version>/datamux-sentencepiece).
std::filesystem::path sentencepiece_tool();

}  // namespace datamux
