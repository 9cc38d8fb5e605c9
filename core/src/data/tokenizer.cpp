#include "datamux/core/tokenizer.h"

#include <fstream>
#include <sstream>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/runtime_symbol_info.hpp>

#include "datamux/core/json_file.h"
#include "datamux/core/temporary_directory.h"
#include "datamux/sdk/error.h"
#include "datamux/sdk/join.h"
#include "util/subprocess.h"

namespace datamux {
namespace {

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

std::string lines_of(const std::vector<std::string>& texts) {
  std::string out;
  for (const auto& text : texts) out += one_line(text) + '\n';
  return out;
}

// Runs the tool; its one-line error becomes an Error naming `what`.
ProcessResult run_tool(const std::vector<std::string>& arguments, const std::string& input,
                       const TemporaryDirectory& scratch, const std::string& what) {
  std::vector<std::string> argv = {sentencepiece_tool().string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  ProcessResult result = run_process(argv, input, scratch.path());
  if (result.exit_code != 0) {
    std::string reason = result.errors.substr(0, result.errors.find('\n'));
    if (reason.empty()) reason = "exit status " + std::to_string(result.exit_code);
    throw Error(what + ": " + reason);
  }
  return result;
}

std::vector<std::vector<std::int64_t>> parse_id_lines(const std::string& text) {
  std::vector<std::vector<std::int64_t>> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream numbers(line);
    std::vector<std::int64_t> ids;
    for (std::int64_t id; numbers >> id;) ids.push_back(id);
    out.push_back(std::move(ids));
  }
  return out;
}

}  // namespace

std::filesystem::path sentencepiece_tool() {
  const auto core = std::filesystem::weakly_canonical(boost::dll::this_line_location());
  return core.parent_path() / DATAMUX_PRIVATE_DIR / "datamux-sentencepiece";
}

void Tokenizer::train(const std::vector<std::string>& texts, const std::filesystem::path& model_file,
                      const TokenizerTraining& options) {
  if (texts.empty()) throw Error("tokenizer: no text to train on");
  const SpecialTokens tokens;
  for (const auto& symbol : options.reserved_tokens)
    if (symbol.empty() || symbol.find_first_of(", \t\n") != std::string::npos)
      throw Error("tokenizer: reserved token '" + symbol +
                  "' must be a non-empty symbol without commas or spaces");
  const std::string symbols = join(options.reserved_tokens, ",");
  TemporaryDirectory scratch;
  const auto prefix = scratch.path() / "model";
  const std::string args =
      "--model_prefix=" + prefix.string() + " --model_type=unigram" +
      " --vocab_size=" + std::to_string(options.vocab_size) + " --hard_vocab_limit=false" +
      " --pad_id=" + std::to_string(tokens.pad) + " --unk_id=" + std::to_string(tokens.unk) +
      " --bos_id=" + std::to_string(tokens.bos) + " --eos_id=" + std::to_string(tokens.eos) +
      (symbols.empty() ? "" : " --user_defined_symbols=" + symbols) + " --character_coverage=0.9995" +
      " --input_sentence_size=1000000 --shuffle_input_sentence=true" +
      " --num_threads=" + std::to_string(options.threads) + " --minloglevel=2";
  write_file_atomically(scratch.path() / "args", args);
  write_file_atomically(scratch.path() / "texts", lines_of(texts));
  run_tool({"train", (scratch.path() / "args").string(), (scratch.path() / "texts").string(),
            std::to_string(options.seed)},
           "", scratch, "tokenizer: training failed");
  std::filesystem::copy_file(prefix.string() + ".model", model_file,
                             std::filesystem::copy_options::overwrite_existing);
}

Tokenizer Tokenizer::load(const std::filesystem::path& model_file,
                          const std::vector<std::string>& reserved_tokens) {
  if (!std::filesystem::exists(model_file))
    throw Error(model_file.string() + ": tokenizer model not found");
  Tokenizer tokenizer;
  tokenizer.model_file_ = std::filesystem::absolute(model_file);
  const SpecialTokens& t = tokenizer.special_;
  const std::vector<std::string>& symbols = reserved_tokens;
  TemporaryDirectory scratch;
  const auto result = run_tool({"info", tokenizer.model_file_.string()}, lines_of(symbols), scratch,
                               model_file.string());
  const auto numbers = parse_id_lines(result.output);
  bool layout = numbers.size() == symbols.size() + 1 && numbers[0].size() == 5;
  if (layout) {
    tokenizer.vocab_size_ = numbers[0][0];
    layout = numbers[0][1] == t.pad && numbers[0][2] == t.unk && numbers[0][3] == t.bos &&
             numbers[0][4] == t.eos;
    for (std::size_t i = 0; layout && i < symbols.size(); ++i) layout = numbers[i + 1].size() == 1;
  }
  if (!layout)
    throw Error(model_file.string() +
                ": this SentencePiece model does not reserve datamux's special ids (pad 0, unk 1, "
                "bos 2, eos 3); let datamux train one");
  // A symbol the model lacks maps to unk; one the model has is a piece of its own, never an
  // ordinary piece, as SentencePiece keeps user-defined symbols whole.
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const std::int64_t id = numbers[i + 1][0];
    if (id == t.unk || id < SpecialTokens::kCount)
      throw Error(model_file.string() + ": this SentencePiece model has no reserved token '" +
                  symbols[i] + "' that the demultiplexer needs (a tokenizer trained for another "
                  "demultiplexer?); let datamux train one");
    tokenizer.reserved_ids_.push_back(id);
  }
  return tokenizer;
}

std::vector<std::vector<std::int64_t>> Tokenizer::encode_all(
    const std::vector<std::string>& texts) const {
  if (texts.empty()) return {};
  TemporaryDirectory scratch;
  const auto in = scratch.path() / "texts", out = scratch.path() / "ids";
  write_file_atomically(in, lines_of(texts));
  run_tool({"encode", model_file_.string(), in.string(), out.string()}, "", scratch,
           "tokenizer: cannot encode with " + model_file_.string());
  std::string lines;
  read_file(out, lines);  // a missing file leaves it empty: the count check below reports it
  auto ids = parse_id_lines(lines);
  if (ids.size() != texts.size())
    throw Error("tokenizer: expected " + std::to_string(texts.size()) + " encoded texts, got " +
                std::to_string(ids.size()));
  return ids;
}

std::vector<std::int64_t> Tokenizer::encode(const std::string& text) const {
  return encode_all({text}).front();
}

std::vector<std::vector<std::int64_t>> Tokenizer::encode_words(
    const std::vector<std::string>& words) const {
  auto out = encode_all(words);
  for (auto& ids : out)
    if (ids.empty()) ids.push_back(special_.unk);
  return out;
}

std::string Tokenizer::decode(const std::vector<std::int64_t>& ids) const {
  TemporaryDirectory scratch;
  const auto in = scratch.path() / "ids", out = scratch.path() / "texts";
  std::string line;
  for (std::size_t i = 0; i < ids.size(); ++i) line += (i ? " " : "") + std::to_string(ids[i]);
  write_file_atomically(in, line + "\n");
  run_tool({"decode", model_file_.string(), in.string(), out.string()}, "", scratch,
           "tokenizer: cannot decode with " + model_file_.string());
  std::string text;
  read_file(out, text);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace datamux
