#include "datamux/core/demo_data.h"
#include "datamux/core/seed_streams.h"

#include <chrono>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "datamux/sdk/error.h"

namespace datamux {

namespace {

namespace fs = std::filesystem;

// std::mt19937_64 is specified bit for bit by the standard; the std:: distributions are not,
// so every draw below is plain integer arithmetic on the engine's output.
class Random {
 public:
  // One independent engine per file.
  Random(std::uint64_t seed, std::uint64_t stream) : engine_(stream_seed(seed, stream)) {}

  std::size_t below(std::size_t n) {  // 0 .. n-1; n >= 1
    return static_cast<std::size_t>(static_cast<std::uint64_t>(engine_()) %
                                    static_cast<std::uint64_t>(n));
  }
  std::size_t between(std::size_t low, std::size_t high) { return low + below(high - low + 1); }
  bool chance(std::size_t percent) { return below(100) < percent; }
  template <std::size_t N>
  const char* pick(const char* const (&words)[N]) {
    return words[below(N)];
  }
  template <typename T>
  void shuffle(std::vector<T>& items) {  // Fisher-Yates; std::shuffle differs across libraries
    for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

enum Stream : std::uint64_t { kSentimentTrain = 1, kSentimentDev, kNerTrain, kNerDev, kCorpus };

// ---- the sentiment language ------------------------------------------------------------------

constexpr const char* kPositive[] = {
    "good",      "great",     "wonderful", "brilliant", "charming",   "delightful", "moving",
    "funny",     "beautiful", "clever",    "fresh",     "superb",     "warm",       "gripping",
    "touching",  "smart",     "lovely",    "excellent", "enjoyable",  "stunning",   "thoughtful",
    "witty",     "tender",    "powerful",  "graceful",  "vivid",      "inspired",   "rich",
    "sweet",     "lively",    "honest",    "engaging",  "elegant",    "remarkable", "masterful",
    "joyful",    "memorable", "splendid",  "luminous",  "glorbious"};
constexpr const char* kNegative[] = {
    "bad",        "dull",     "boring",   "awful",    "terrible",    "tedious",   "bland",
    "clumsy",     "flat",     "lifeless", "messy",    "stale",       "weak",      "poor",
    "silly",      "annoying", "ugly",     "shallow",  "predictable", "sloppy",    "tired",
    "pointless",  "hollow",   "dreary",   "lame",     "mediocre",    "painful",   "forced",
    "cheap",      "confused", "muddled",  "grating",  "dreadful",    "tiresome",  "wooden",
    "sluggish",   "awkward",  "unfunny",  "drabsome", "pretentious"};
constexpr const char* kDeterminers[] = {"the",   "a",   "this", "that",  "its", "every",
                                        "one",   "his", "her",  "their", "our", "another"};
constexpr const char* kNouns[] = {
    "film",     "movie",     "story",    "plot",     "script",      "cast",     "director",
    "actor",    "actress",   "scene",    "ending",   "performance", "picture",  "drama",
    "comedy",   "thriller",  "sequel",   "character", "dialogue",   "soundtrack", "camera",
    "premise",  "hero",      "villain",  "romance",  "tale",        "journey",  "family",
    "city",     "night",     "summer",   "music",    "voice",       "moment",   "effort",
    "debut",    "style",     "tone",     "pace",     "setting",     "world",    "glimmet",
    "torvash",  "quiln",     "zephrot",  "malvine",  "sapple",      "wendrit",  "kobble"};
constexpr const char* kVerbs[] = {"tells",  "shows",   "follows", "offers",   "makes",
                                  "takes",  "gives",   "brings",  "keeps",    "turns",
                                  "finds",  "leaves",  "plays",   "becomes",  "remains",
                                  "opens",  "ends",    "returns", "explores", "borrows",
                                  "trades", "sketches", "revisits", "frames", "vorles"};
constexpr const char* kAdjectives[] = {"new",    "old",    "long",     "short",  "young",
                                       "quiet",  "loud",   "familiar", "simple", "small",
                                       "big",    "dark",   "bright",   "strange", "modern",
                                       "classic", "early", "late",     "second", "final",
                                       "plain",  "tinny",  "brisk",    "quarnish"};
constexpr const char* kPrepositions[] = {"in",      "on",   "with",  "about",   "from",
                                         "into",    "through", "after", "before", "over",
                                         "under",   "between", "during"};
// No negators ("never", "not"): the label ignores them, so "it is never dull" would read as
// positive and be labelled negative.
constexpr const char* kAdverbs[] = {"often",  "still",  "just",   "almost", "rather",
                                    "quite",  "mostly", "simply", "always", "really",
                                    "very",   "too",    "sometimes", "perhaps", "oddly"};
constexpr const char* kConnectors[] = {",", "and", "but", "while", "as"};

// Clause templates: one upper-case letter is a slot (D determiner, N noun, V verb,
// A neutral adjective, P preposition, R adverb, C cue word), anything else is literal.
constexpr const char* kCueClauses[] = {"D N is C",    "D C N",         "it is R C",
                                       "D N V C",     "C , D A N",     "D N feels C",
                                       "a C N P D N", "D A N is R C", "R C",
                                       "D N seems C", "C and A"};
constexpr const char* kNeutralClauses[] = {"D N V P D N", "D A N V R", "it V D N",
                                           "D N P D N",   "D N V D A N", "P D N"};

void append_word(std::string& out, std::string_view word) {
  if (!out.empty()) out += ' ';
  out += word;
}

void append_clause(std::string& out, std::string_view pattern, const char* const* cues,
                   std::size_t cue_count, Random& random) {
  std::size_t start = 0;
  while (start <= pattern.size()) {
    std::size_t end = pattern.find(' ', start);
    if (end == std::string_view::npos) end = pattern.size();
    const std::string_view token = pattern.substr(start, end - start);
    start = end + 1;
    if (token.size() != 1 || token[0] < 'A' || token[0] > 'Z') {
      append_word(out, token);
      continue;
    }
    switch (token[0]) {
      case 'D': append_word(out, random.pick(kDeterminers)); break;
      case 'N': append_word(out, random.pick(kNouns)); break;
      case 'V': append_word(out, random.pick(kVerbs)); break;
      case 'A': append_word(out, random.pick(kAdjectives)); break;
      case 'P': append_word(out, random.pick(kPrepositions)); break;
      case 'R': append_word(out, random.pick(kAdverbs)); break;
      case 'C': append_word(out, cues[random.below(cue_count)]); break;
      default: append_word(out, token); break;
    }
  }
}

// A lowercased sentence whose label (1 positive, 0 negative) is the polarity of most of its
// cue words: one or two cue clauses of that polarity, one of the other in a quarter of the
// sentences with two, at most one neutral clause, in random order. At most four clauses keep
// most sentences within the demo configs' 32 tokens even when a tokenizer trained on the
// warm-up corpus splits a cue word into several pieces: with up to six clauses, two thirds of
// the sentences were cut and one in eight lost the cue words that decide its label.
std::string sentiment_sentence(int label, Random& random) {
  const std::size_t cues = random.between(1, 2);
  const std::size_t opposite = cues == 2 && random.chance(25) ? 1 : 0;
  const std::size_t neutral = random.between(0, 1);
  std::vector<int> clauses;  // 1: this label's cue, -1: the other's, 0: neutral
  clauses.insert(clauses.end(), cues, 1);
  clauses.insert(clauses.end(), opposite, -1);
  clauses.insert(clauses.end(), neutral, 0);
  random.shuffle(clauses);
  const bool positive = label == 1;
  std::string out;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (i > 0) append_word(out, random.pick(kConnectors));
    if (clauses[i] == 0) {
      append_clause(out, random.pick(kNeutralClauses), nullptr, 0, random);
    } else {
      const bool cue_positive = clauses[i] == 1 ? positive : !positive;
      const auto* cue_words = cue_positive ? kPositive : kNegative;
      const std::size_t cue_count = cue_positive ? std::size(kPositive) : std::size(kNegative);
      append_clause(out, random.pick(kCueClauses), cue_words, cue_count, random);
    }
  }
  if (random.chance(30)) append_word(out, ".");
  return out;
}

std::string sentiment_file(std::size_t examples, Random& random) {
  std::string out = "sentence\tlabel\n";
  for (std::size_t i = 0; i < examples; ++i) {
    const int label = static_cast<int>(random.below(2));
    // As in the real SST-2 files: a space after the sentence, before the tab.
    out += sentiment_sentence(label, random) + " \t" + std::to_string(label) + "\n";
  }
  return out;
}

// ---- named entities --------------------------------------------------------------------------

constexpr const char* kFirstNames[] = {
    "Peter", "John",   "Maria",  "Anna",   "Ahmed",   "Yuki",  "Carlos", "Elena", "Olga",
    "Pierre", "Hans",  "Fatima", "Kofi",   "Ingrid",  "Marco", "Sofia",  "Dmitri", "Priya",
    "Tomas", "Laura",  "Nikolai", "Jamal", "Rosa",    "Lars",  "Amara",  "Wendel", "Tavi"};
constexpr const char* kSurnames[] = {
    "Smith",  "Blackburn", "Novak",   "Okafor",  "Tanaka",  "Silva",    "Muller",  "Rossi",
    "Petrov", "Haddad",    "Johansson", "Kowalski", "Nguyen", "Fischer", "Moreau", "Costa",
    "Larsen", "Ivanova",   "Mensah",  "Garcia",  "Schmidt", "Dubois",   "Andersen", "Kaplan",
    "Reyes",  "Quorwin",   "Estavel"};
constexpr const char* kLocations[] = {
    "Paris",  "Berlin", "London",  "Tokyo",   "Moscow",   "Nairobi",  "Lima",      "Oslo",
    "Madrid", "Cairo",  "Sydney",  "Toronto", "Brazil",   "Germany",  "France",    "Japan",
    "Kenya",  "Russia", "Italy",   "Egypt",   "Chile",    "Norway",   "Spain",     "New York",
    "Buenos Aires", "Hong Kong", "South Africa", "Los Angeles", "New Zealand", "Port Valmor",
    "Ostrava", "Lagos"};
constexpr const char* kOrganisations[] = {
    "Reuters",      "United Nations", "Acme Corp",     "Nordic Mining",  "Central Bank",
    "Blue River Holdings", "Apex Motors", "Lakeside United", "Red Star", "Sunrise Airlines",
    "Global Trust", "Pacific Energy", "Northern Rail", "Westfield Bank", "Olympia FC",
    "Union Steel",  "Interpol",       "NATO",          "UEFA",           "Delta Pharma",
    "Vantor Group", "Harbor Press"};
constexpr const char* kNationalities[] = {
    "German",  "British",   "French",   "Japanese", "Russian", "Italian", "Kenyan",
    "Brazilian", "European", "Olympic", "Spanish",  "Chilean", "Norwegian", "Egyptian"};
constexpr const char* kEvents[] = {"World Cup",    "Grand Prix",  "Champions League",
                                   "Davis Cup",    "Tour de France", "Nobel Prize",
                                   "Winter Games", "Asian Games", "Open Championship"};
constexpr const char* kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

// Sentence templates: `word/POS` tokens and {SLOT}s. {PER} is a full name or a surname,
// {SURNAME} a surname alone (after Mr / Mrs), {NAT} a nationality (MISC, JJ), {EVENT} an
// event (MISC), {DAY}, {NUM} and {SCORE} are untagged.
constexpr const char* kNerTemplates[] = {
    "{PER} said/VBD on/IN {DAY} ./.",
    "Mr/NNP {SURNAME} told/VBD reporters/NNS in/IN {LOC} ./.",
    "Mr/NNP {SURNAME} said/VBD the/DT talks/NNS in/IN {LOC} were/VBD good/JJ ./.",
    "{ORG} shares/NNS rose/VBD {NUM} percent/NN in/IN {LOC} trading/NN ./.",
    "The/DT {NAT} team/NN beat/VBD {LOC} in/IN the/DT final/NN ./.",
    "{PER} ,/, a/DT spokesman/NN for/IN {ORG} ,/, said/VBD the/DT deal/NN was/VBD signed/VBN ./.",
    "Police/NNS in/IN {LOC} arrested/VBD {NUM} people/NNS on/IN {DAY} ./.",
    "{ORG} said/VBD it/PRP would/MD open/VB a/DT new/JJ office/NN in/IN {LOC} ./.",
    "{PER} won/VBD the/DT {EVENT} title/NN in/IN {LOC} ./.",
    "The/DT {NAT} government/NN said/VBD talks/NNS with/IN {ORG} would/MD resume/VB ./.",
    "{LOC} {NUM} {LOC} {NUM}",
    "{PER} (/( {LOC} )/) {NUM}",
    "Officials/NNS at/IN {ORG} declined/VBD to/TO comment/VB ./.",
    "Prime/NNP minister/NN {PER} arrived/VBD in/IN {LOC} for/IN talks/NNS ./.",
    "The/DT {EVENT} starts/VBZ in/IN {LOC} next/JJ week/NN ./.",
    "The/DT market/NN closed/VBD higher/JJR on/IN {DAY} ./.",
    "{PER} joined/VBD {ORG} from/IN {ORG} last/JJ year/NN ./.",
    "{NAT} officials/NNS met/VBD in/IN {LOC} on/IN {DAY} ./.",
    "Mrs/NNP {SURNAME} said/VBD the/DT {NAT} side/NN played/VBD well/RB ./.",
    "{ORG} beat/VBD {ORG} {SCORE} ./.",
    "Shares/NNS in/IN {ORG} fell/VBD on/IN {DAY} after/IN the/DT {NAT} report/NN ./.",
    "{PER} will/MD visit/VB {LOC} and/CC {LOC} next/JJ month/NN ./.",
    "It/PRP was/VBD a/DT quiet/JJ day/NN in/IN {LOC} ./.",
    "{PER} scored/VBD twice/RB as/IN {ORG} won/VBD the/DT {EVENT} ./.",
    "Rain/NN stopped/VBD play/NN on/IN {DAY} ./.",
    "The/DT film/NN about/IN {PER} was/VBD praised/VBN in/IN {LOC} ./."};

struct Token {
  std::string word;
  std::string pos;
  std::string tag;  // IOB2
};

void add_entity(std::vector<Token>& out, std::string_view name, const char* type,
                const char* pos) {
  bool first = true;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find(' ', start);
    if (end == std::string_view::npos) end = name.size();
    out.push_back({std::string(name.substr(start, end - start)), pos,
                   std::string(first ? "B-" : "I-") + type});
    first = false;
    start = end + 1;
  }
}

std::string number(Random& random, bool wikitext) {
  if (random.chance(80)) return std::to_string(random.between(1, 99));
  const std::size_t value = random.between(1000, 9999);
  const std::string thousands = std::to_string(value / 1000);
  std::string rest = std::to_string(value % 1000);
  rest.insert(0, 3 - rest.size(), '0');
  return thousands + (wikitext ? " @,@ " : ",") + rest;  // WikiText splits "1,250" as 1 @,@ 250
}

std::vector<Token> ner_sentence(std::string_view pattern, Random& random, bool wikitext) {
  std::vector<Token> out;
  std::size_t start = 0;
  while (start <= pattern.size()) {
    std::size_t end = pattern.find(' ', start);
    if (end == std::string_view::npos) end = pattern.size();
    const std::string_view token = pattern.substr(start, end - start);
    start = end + 1;
    if (token == "{PER}") {
      std::string name = random.pick(kSurnames);
      if (random.chance(60)) name = std::string(random.pick(kFirstNames)) + " " + name;
      add_entity(out, name, "PER", "NNP");
    } else if (token == "{SURNAME}") {
      add_entity(out, random.pick(kSurnames), "PER", "NNP");
    } else if (token == "{LOC}") {
      add_entity(out, random.pick(kLocations), "LOC", "NNP");
    } else if (token == "{ORG}") {
      add_entity(out, random.pick(kOrganisations), "ORG", "NNP");
    } else if (token == "{NAT}") {
      add_entity(out, random.pick(kNationalities), "MISC", "JJ");
    } else if (token == "{EVENT}") {
      add_entity(out, random.pick(kEvents), "MISC", "NNP");
    } else if (token == "{DAY}") {
      out.push_back({random.pick(kDays), "NNP", "O"});
    } else if (token == "{NUM}") {
      out.push_back({number(random, wikitext), "CD", "O"});
    } else if (token == "{SCORE}") {
      out.push_back({std::to_string(random.below(6)) + "-" + std::to_string(random.below(6)),
                     "CD", "O"});
    } else {
      const std::size_t slash = token.rfind('/');
      out.push_back({std::string(token.substr(0, slash)), std::string(token.substr(slash + 1)),
                     "O"});
    }
  }
  return out;
}

// The chunk phrase of a part of speech, as CoNLL-2003's chunk column roughly has it.
std::string_view chunk_type(std::string_view pos) {
  if (pos == "NNP" || pos == "NNPS" || pos == "NN" || pos == "NNS" || pos == "DT" ||
      pos == "JJ" || pos == "JJR" || pos == "CD" || pos == "PRP")
    return "NP";
  if (pos == "VBD" || pos == "VBZ" || pos == "VBN" || pos == "VB" || pos == "MD" || pos == "TO")
    return "VP";
  if (pos == "IN") return "PP";
  if (pos == "RB") return "ADVP";
  return "";
}

std::string conll_file(std::size_t sentences, Random& random) {
  std::string out;
  std::size_t written = 0;
  while (written < sentences) {
    out += "-DOCSTART- -X- -X- O\n\n";
    const std::size_t document = random.between(3, 12);
    for (std::size_t s = 0; s < document && written < sentences; ++s, ++written) {
      const auto tokens = ner_sentence(random.pick(kNerTemplates), random, false);
      std::string_view previous;
      for (const auto& token : tokens) {
        const std::string_view type = chunk_type(token.pos);
        std::string chunk = "O";
        if (!type.empty())
          chunk = std::string(type == previous && type != "PP" ? "I-" : "B-") + std::string(type);
        previous = type;
        out += token.word + " " + token.pos + " " + chunk + " " + token.tag + "\n";
      }
      out += "\n";
    }
  }
  return out;
}

// ---- the warm-up corpus ----------------------------------------------------------------------

constexpr const char* kSections[] = {"History",    "Reception", "Plot",    "Career",
                                     "Background", "Legacy",    "Geography", "Production",
                                     "Early life", "Release"};

std::string corpus_paragraph(Random& random) {
  std::string out;
  const std::size_t sentences = random.between(2, 6);
  for (std::size_t s = 0; s < sentences; ++s) {
    if (random.chance(50)) {
      append_word(out, sentiment_sentence(static_cast<int>(random.below(2)), random));
      if (out.back() != '.') append_word(out, ".");
    } else {
      std::string_view pattern;
      do {  // prose only: the sentence templates that end with a full stop
        pattern = random.pick(kNerTemplates);
      } while (pattern.substr(pattern.size() < 3 ? 0 : pattern.size() - 3) != "./.");
      for (const auto& token : ner_sentence(pattern, random, true)) append_word(out, token.word);
    }
  }
  return " " + out + " \n";
}

std::string corpus_title(Random& random) {
  switch (random.below(3)) {
    case 0: return random.pick(kLocations);
    case 1: return random.pick(kOrganisations);
    default: return std::string(random.pick(kFirstNames)) + " " + random.pick(kSurnames);
  }
}

std::string corpus_file(std::size_t lines, Random& random) {
  std::string out;
  std::size_t written = 0;  // non-blank lines
  while (written < lines) {
    out += out.empty() ? " \n" : " \n \n";
    out += " = " + corpus_title(random) + " = \n \n";
    ++written;
    const std::size_t intro = random.between(1, 3);
    for (std::size_t p = 0; p < intro && written < lines; ++p, ++written)
      out += corpus_paragraph(random);
    const std::size_t sections = random.between(1, 3);
    for (std::size_t s = 0; s < sections && written < lines; ++s) {
      out += std::string(" \n = = ") + random.pick(kSections) + " = = \n \n";
      ++written;
      const std::size_t paragraphs = random.between(1, 4);
      for (std::size_t p = 0; p < paragraphs && written < lines; ++p, ++written)
        out += corpus_paragraph(random);
    }
  }
  return out;
}

// ---- files -----------------------------------------------------------------------------------

void make_directory(const fs::path& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw Error(dir.string() + ": cannot create directory: " + error.message());
  if (!fs::is_directory(dir, error))
    throw Error(dir.string() + ": cannot create directory: a file of that name exists");
}

void write_file(const fs::path& path, const std::string& content) {
  // A unique temporary name in the same directory, so concurrent writers never share one.
  const auto unique = std::hash<std::thread::id>()(std::this_thread::get_id()) ^
                      static_cast<std::size_t>(
                          std::chrono::steady_clock::now().time_since_epoch().count());
  fs::path temporary = path;
  temporary += ".tmp-" + std::to_string(unique);
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(temporary.string() + ": cannot create file");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      fs::remove(temporary, ignored);
      throw Error(temporary.string() + ": write failed");
    }
  }
  std::error_code error;
  fs::rename(temporary, path, error);
  if (error) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw Error(path.string() + ": cannot replace file: " + error.message());
  }
}

}  // namespace

void write_demo_data(const std::filesystem::path& dir, std::uint64_t seed,
                     const DemoDataSizes& sizes) {
  if (sizes.sentiment_train == 0 || sizes.sentiment_dev == 0 || sizes.ner_train == 0 ||
      sizes.ner_dev == 0 || sizes.corpus_paragraphs == 0)
    throw Error(dir.string() + ": demo data sizes must all be at least 1");
  make_directory(dir / "sst2");
  make_directory(dir / "conll2003");
  make_directory(dir / "wikitext");
  {
    Random random(seed, kSentimentTrain);
    write_file(dir / "sst2" / "train.tsv", sentiment_file(sizes.sentiment_train, random));
  }
  {
    Random random(seed, kSentimentDev);
    write_file(dir / "sst2" / "dev.tsv", sentiment_file(sizes.sentiment_dev, random));
  }
  {
    Random random(seed, kNerTrain);
    write_file(dir / "conll2003" / "train.txt", conll_file(sizes.ner_train, random));
  }
  {
    Random random(seed, kNerDev);
    write_file(dir / "conll2003" / "valid.txt", conll_file(sizes.ner_dev, random));
  }
  {
    Random random(seed, kCorpus);
    write_file(dir / "wikitext" / "wiki.train.raw", corpus_file(sizes.corpus_paragraphs, random));
  }
}

}  // namespace datamux
