// datamux-sentencepiece: SentencePiece in a process of its own.
//
// Debian's libsentencepiece embeds protobuf 3.14 and exports its symbols, while libtorch
// links libprotobuf 3.21: a process that loads both aborts (version check) or crashes, and
// loading it with RTLD_DEEPBIND breaks libstdc++'s iostreams instead. The core therefore
// runs this small program, which links SentencePiece and nothing of libtorch, and exchanges
// whole batches through files (one text per line, one line of ids per text).
//
//   datamux-sentencepiece train ARGS_FILE TEXTS_FILE SEED
//   datamux-sentencepiece info MODEL                       -> "pieces pad unk bos eos" + ids of
//                                                             the pieces named on stdin lines
//   datamux-sentencepiece encode MODEL TEXTS_FILE IDS_FILE
//   datamux-sentencepiece decode MODEL IDS_FILE TEXTS_FILE
// Failures print one line to stderr and exit 1.
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

class FileLines : public sentencepiece::SentenceIterator {
 public:
  explicit FileLines(const std::string& path) : in_(path) { Next(); }
  bool done() const override { return done_; }
  void Next() override { done_ = !std::getline(in_, line_); }
  const std::string& value() const override { return line_; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  std::ifstream in_;
  std::string line_;
  bool done_ = false;
};

int fail(const std::string& message) {
  std::cerr << message << std::endl;
  return 1;
}

int load(sentencepiece::SentencePieceProcessor& processor, const std::string& model) {
  const auto status = processor.Load(model);
  return status.ok() ? 0 : fail(model + ": not a SentencePiece model: " + status.ToString());
}

int train(const std::string& args_file, const std::string& texts_file, unsigned seed) {
  std::ifstream args_in(args_file);
  std::string args((std::istreambuf_iterator<char>(args_in)), std::istreambuf_iterator<char>());
  sentencepiece::SetRandomGeneratorSeed(seed);
  FileLines texts(texts_file);
  const auto status = sentencepiece::SentencePieceTrainer::Train(args, &texts);
  return status.ok() ? 0 : fail("training failed: " + status.ToString());
}

int info(const std::string& model) {
  sentencepiece::SentencePieceProcessor processor;
  if (int rc = load(processor, model)) return rc;
  std::cout << processor.GetPieceSize() << ' ' << processor.pad_id() << ' ' << processor.unk_id()
            << ' ' << processor.bos_id() << ' ' << processor.eos_id() << '\n';
  std::string piece;
  while (std::getline(std::cin, piece)) std::cout << processor.PieceToId(piece) << '\n';
  return 0;
}

int encode(const std::string& model, const std::string& texts_file, const std::string& ids_file) {
  sentencepiece::SentencePieceProcessor processor;
  if (int rc = load(processor, model)) return rc;
  std::ifstream in(texts_file);
  std::ofstream out(ids_file);
  std::string text;
  std::vector<int> ids;
  while (std::getline(in, text)) {
    const auto status = processor.Encode(text, &ids);
    if (!status.ok()) return fail("cannot encode '" + text + "': " + status.ToString());
    for (std::size_t i = 0; i < ids.size(); ++i) out << (i ? " " : "") << ids[i];
    out << '\n';
  }
  return out ? 0 : fail(ids_file + ": write failed");
}

int decode(const std::string& model, const std::string& ids_file, const std::string& texts_file) {
  sentencepiece::SentencePieceProcessor processor;
  if (int rc = load(processor, model)) return rc;
  std::ifstream in(ids_file);
  std::ofstream out(texts_file);
  std::string line, text;
  while (std::getline(in, line)) {
    std::istringstream numbers(line);
    std::vector<int> ids;
    for (int id; numbers >> id;) ids.push_back(id);
    const auto status = processor.Decode(ids, &text);
    if (!status.ok()) return fail("cannot decode: " + status.ToString());
    out << text << '\n';
  }
  return out ? 0 : fail(texts_file + ": write failed");
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 4 && args[0] == "train") return train(args[1], args[2], std::stoul(args[3]));
  if (args.size() == 2 && args[0] == "info") return info(args[1]);
  if (args.size() == 4 && args[0] == "encode") return encode(args[1], args[2], args[3]);
  if (args.size() == 4 && args[0] == "decode") return decode(args[1], args[2], args[3]);
  return fail("usage: datamux-sentencepiece train|info|encode|decode ... (internal to datamux)");
}
