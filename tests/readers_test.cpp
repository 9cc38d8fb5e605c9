// The dataset readers on small files written here: every layout they accept, and every bad
// input as one line that starts with "<file>:<line>:" (or "<file>:" for the whole file).
#include <gtest/gtest.h>

#include <functional>

#include "datamux/core/readers/conll_reader.h"
#include "datamux/core/readers/glue_reader.h"
#include "datamux/core/readers/text_reader.h"
#include "datamux/sdk/error.h"
#include "support/test_support.h"

namespace datamux {
namespace {

// The message of the datamux::Error that `action` throws (a test failure when none is thrown).
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_EQ(message.find('\r'), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "expected datamux::Error";
  return "";
}

#define EXPECT_STARTS_WITH(text, prefix) \
  EXPECT_EQ((text).rfind(prefix, 0), 0u) << "message: " << (text)

std::vector<SentenceExample> glue(const std::string& content, GlueTask task,
                                  ReadReport* report = nullptr) {
  ReadReport local;
  return parse_glue_tsv(content, "mem.tsv", task, report != nullptr ? *report : local);
}

std::string glue_error(const std::string& content, GlueTask task) {
  return error_of([&] { glue(content, task); });
}

std::vector<TaggedSentence> conll(const std::string& content, ReadReport* report = nullptr) {
  ReadReport local;
  return parse_conll(content, "mem.txt", report != nullptr ? *report : local);
}

std::string conll_error(const std::string& content) {
  return error_of([&] { conll(content); });
}

std::vector<std::string> text(const std::string& content, ReadReport* report = nullptr) {
  ReadReport local;
  return parse_text_corpus(content, "mem.raw", report != nullptr ? *report : local);
}

std::string text_error(const std::string& content) {
  return error_of([&] { text(content); });
}

// ---- GLUE ------------------------------------------------------------------------------------

TEST(GlueReader, Sst2TrimsFieldsAndRecordsLines) {
  ReadReport report;
  const auto examples = glue(
      "sentence\tlabel\nhide new secretions from the parental units \t0\n"
      "  the greatest musicians \t1\n",
      GlueTask::kSst2, &report);
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].text_a, "hide new secretions from the parental units");
  EXPECT_EQ(examples[0].text_b, "");
  EXPECT_EQ(examples[0].label, "0");
  EXPECT_EQ(examples[0].line, 2u);
  EXPECT_EQ(examples[1].text_a, "the greatest musicians");
  EXPECT_EQ(examples[1].label, "1");
  EXPECT_EQ(examples[1].line, 3u);
  EXPECT_EQ(report.lines_read, 3u);
  EXPECT_EQ(report.skipped, 0u);
  EXPECT_TRUE(report.warnings.empty());
}

TEST(GlueReader, CrlfAndNoFinalNewline) {
  ReadReport report;
  const auto examples =
      glue("sentence\tlabel\r\na fine film \t1\r\na dull one \t0", GlueTask::kSst2, &report);
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].label, "1");
  EXPECT_EQ(examples[1].text_a, "a dull one");
  EXPECT_EQ(examples[1].label, "0");
  EXPECT_EQ(report.lines_read, 3u);
}

TEST(GlueReader, ReadsFromFileWithCrlf) {
  test::ScratchDir dir;
  const auto file = dir.write("train.tsv", "sentence\tlabel\r\nwarm and witty \t1\r\n");
  ReadReport report;
  const auto examples = read_glue_tsv(file, GlueTask::kSst2, report);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].text_a, "warm and witty");
  EXPECT_EQ(examples[0].label, "1");
}

TEST(GlueReader, Sst2TestFileWithoutLabels) {
  const auto examples = glue("index\tsentence\n0\tuneasy mishmash of styles \n1\ta gem \n",
                             GlueTask::kSst2);
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].text_a, "uneasy mishmash of styles");
  EXPECT_EQ(examples[0].label, "");
  EXPECT_EQ(examples[1].text_a, "a gem");
}

TEST(GlueReader, QnliPairs) {
  const auto examples = glue(
      "index\tquestion\tsentence\tlabel\n"
      "0\tWhen did it open?\tIt opened in 1900.\tentailment\n"
      "1\tWho built it?\tThe weather was fine.\tnot_entailment\n",
      GlueTask::kQnli);
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].text_a, "When did it open?");
  EXPECT_EQ(examples[0].text_b, "It opened in 1900.");
  EXPECT_EQ(examples[0].label, "entailment");
  EXPECT_EQ(examples[1].label, "not_entailment");
}

TEST(GlueReader, MnliColumnsFoundByHeaderName) {
  const std::string parses = "( a )\t( b )\t(ROOT a)\t(ROOT b)\t";
  // Train layout: 12 columns, one annotator label.
  const auto train = glue(
      "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\t"
      "sentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label\n"
      "0\t31193\t31193n\tgovernment\t" + parses +
          "Conceptually cream skimming has two dimensions.\tProduct and geography matter.\t"
          "neutral\tneutral\n",
      GlueTask::kMnli);
  ASSERT_EQ(train.size(), 1u);
  EXPECT_EQ(train[0].text_a, "Conceptually cream skimming has two dimensions.");
  EXPECT_EQ(train[0].text_b, "Product and geography matter.");
  EXPECT_EQ(train[0].label, "neutral");
  // Matched dev layout: five annotator labels, then gold_label; columns in another place.
  const auto dev = glue(
      "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\t"
      "sentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tlabel2\tlabel3\t"
      "label4\tlabel5\tgold_label\n"
      "0\t63735\t63735n\tslate\t" + parses +
          "The new rights are nice enough\tEveryone really likes them\tneutral\tentailment\t"
          "neutral\tneutral\tneutral\tneutral\n"
          "1\t91383\t91383c\tslate\t" + parses +
          "This site includes a list\tThe site has no list\tcontradiction\tcontradiction\t"
          "contradiction\tcontradiction\tcontradiction\tcontradiction\n",
      GlueTask::kMnli);
  ASSERT_EQ(dev.size(), 2u);
  EXPECT_EQ(dev[0].text_b, "Everyone really likes them");
  EXPECT_EQ(dev[0].label, "neutral");
  EXPECT_EQ(dev[1].label, "contradiction");
}

TEST(GlueReader, MnliHeaderMustNameItsColumns) {
  EXPECT_STARTS_WITH(glue_error("index\tsentence1\tsentence2\tlabel\n0\ta\tb\tneutral\n",
                                GlueTask::kMnli),
                     "mem.tsv:1: header does not match MNLI: no column 'gold_label' (found "
                     "'index', 'sentence1', 'sentence2', 'label')");
  EXPECT_STARTS_WITH(glue_error("index\tpremise\tsentence2\tgold_label\n", GlueTask::kMnli),
                     "mem.tsv:1: header does not match MNLI: no column 'sentence1'");
}

TEST(GlueReader, QqpSkipsMalformedLinesWithWarnings) {
  ReadReport report;
  const auto examples = glue(
      "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n"
      "0\t1\t2\tHow do I learn C++?\tWhat is the best way to learn C++?\t1\n"
      "1\t3\t4\tWhy is the sky blue\n"  // a question broken over two lines
      "?\tWhat colour is the sea?\t0\n"
      "2\t5\t6\tIs it?\t\t0\n"  // an empty question
      "3\t7\t8\tWhat is a tab?\tWhat is a space?\t0\n",
      GlueTask::kQqp, &report);
  ASSERT_EQ(examples.size(), 2u);
  EXPECT_EQ(examples[0].text_b, "What is the best way to learn C++?");
  EXPECT_EQ(examples[1].line, 6u);
  EXPECT_EQ(examples[1].label, "0");
  EXPECT_EQ(report.skipped, 3u);
  ASSERT_EQ(report.warnings.size(), 3u);
  EXPECT_EQ(report.warnings[0],
            "mem.tsv:3: skipped malformed line: expected 6 tab-separated columns (as in the "
            "header), found 4");
  EXPECT_EQ(report.warnings[1],
            "mem.tsv:4: skipped malformed line: expected 6 tab-separated columns (as in the "
            "header), found 3");
  EXPECT_EQ(report.warnings[2], "mem.tsv:5: skipped malformed line: empty sentence in column "
                                "'question2'");
  EXPECT_EQ(report.lines_read, 6u);
}

TEST(GlueReader, QqpWithOnlyMalformedLinesFails) {
  EXPECT_EQ(glue_error("id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\nbroken\nline\n",
                       GlueTask::kQqp),
            "mem.tsv: no examples (all 2 lines after the header were skipped as malformed)");
}

TEST(GlueReader, WrongColumnCountFailsForTheOtherTasks) {
  EXPECT_EQ(glue_error("sentence\tlabel\ngood \t1\ntoo\tmany\tcolumns\n", GlueTask::kSst2),
            "mem.tsv:3: expected 2 tab-separated columns (as in the header), found 3");
  EXPECT_EQ(glue_error("sentence\tlabel\nno tab here\n", GlueTask::kSst2),
            "mem.tsv:2: expected 2 tab-separated columns (as in the header), found 1");
  EXPECT_EQ(glue_error("index\tquestion\tsentence\tlabel\n0\tq?\ts.\n", GlueTask::kQnli),
            "mem.tsv:2: expected 4 tab-separated columns (as in the header), found 3");
}

TEST(GlueReader, EmptySentenceOrLabelFails) {
  EXPECT_EQ(glue_error("sentence\tlabel\n  \t1\n", GlueTask::kSst2),
            "mem.tsv:2: empty sentence in column 'sentence'");
  EXPECT_EQ(glue_error("index\tquestion\tsentence\tlabel\n0\tq?\t \tentailment\n",
                       GlueTask::kQnli),
            "mem.tsv:2: empty sentence in column 'sentence'");
  EXPECT_EQ(glue_error("sentence\tlabel\nfine \t1\nalso fine \t \n", GlueTask::kSst2),
            "mem.tsv:3: empty label in column 'label'");
}

TEST(GlueReader, HeaderThatDoesNotMatch) {
  EXPECT_EQ(glue_error("sentense\tlabel\na \t1\n", GlueTask::kSst2),
            "mem.tsv:1: header does not match SST-2: no column 'sentence' (found 'sentense', "
            "'label')");
  // A file without a header: its first example is taken for one and does not match.
  EXPECT_STARTS_WITH(glue_error("hide new secretions \t0\n", GlueTask::kSst2),
                     "mem.tsv:1: header does not match SST-2: no column 'sentence'");
  EXPECT_STARTS_WITH(glue_error("index\tquestion\tlabel\n", GlueTask::kQnli),
                     "mem.tsv:1: header does not match QNLI: no column 'sentence'");
  EXPECT_STARTS_WITH(glue_error("id\tquestion1\tq2\tis_duplicate\n", GlueTask::kQqp),
                     "mem.tsv:1: header does not match QQP: no column 'question2'");
  EXPECT_EQ(glue_error("sentence\tsentence\tlabel\n", GlueTask::kSst2),
            "mem.tsv:1: header has column 'sentence' twice (columns 1 and 2)");
  EXPECT_STARTS_WITH(glue_error(" \nsentence\tlabel\n", GlueTask::kSst2),
                     "mem.tsv:1: header line is empty");
}

TEST(GlueReader, BlankLinesOnlyAtTheEnd) {
  const auto examples = glue("sentence\tlabel\ngood \t1\n\n \r\n", GlueTask::kSst2);
  EXPECT_EQ(examples.size(), 1u);
  EXPECT_EQ(glue_error("sentence\tlabel\ngood \t1\n\nbad \t0\n", GlueTask::kSst2),
            "mem.tsv:3: empty line");
}

TEST(GlueReader, WholeFileProblems) {
  test::ScratchDir dir;
  ReadReport report;
  const auto missing = dir.path() / "nope.tsv";
  EXPECT_EQ(error_of([&] { read_glue_tsv(missing, GlueTask::kSst2, report); }),
            missing.string() + ": file not found");
  const auto empty = dir.write("empty.tsv", "");
  EXPECT_EQ(error_of([&] { read_glue_tsv(empty, GlueTask::kSst2, report); }),
            empty.string() + ": file is empty");
  const auto header_only = dir.write("header.tsv", "sentence\tlabel\n");
  EXPECT_EQ(error_of([&] { read_glue_tsv(header_only, GlueTask::kSst2, report); }),
            header_only.string() + ": no examples (only a header line)");
  EXPECT_EQ(error_of([&] { read_glue_tsv(dir.path(), GlueTask::kSst2, report); }),
            dir.path().string() + ": is a directory, not a file");
}

TEST(GlueReader, InvalidUtf8NamesLineAndByte) {
  EXPECT_EQ(glue_error("sentence\tlabel\ngood \t1\ncaf\xC3 \t0\n", GlueTask::kSst2),
            "mem.tsv:3: invalid UTF-8 at byte 4 of the line: truncated sequence");
  EXPECT_EQ(glue_error("sentence\xC0\xA0\tlabel\n", GlueTask::kSst2),
            "mem.tsv:1: invalid UTF-8 at byte 9 of the line: overlong encoding");
}

TEST(GlueReader, KeepsUtf8AndSkipsByteOrderMark) {
  const auto examples =
      glue("\xEF\xBB\xBFsentence\tlabel\nun film tr\xC3\xA8s r\xC3\xA9ussi \xE2\x82\xAC \t1\n",
           GlueTask::kSst2);
  ASSERT_EQ(examples.size(), 1u);
  EXPECT_EQ(examples[0].text_a, "un film tr\xC3\xA8s r\xC3\xA9ussi \xE2\x82\xAC");
}

TEST(GlueReader, TaskFromName) {
  EXPECT_EQ(glue_task_from_name("sst2"), GlueTask::kSst2);
  EXPECT_EQ(glue_task_from_name("qnli"), GlueTask::kQnli);
  EXPECT_EQ(glue_task_from_name("mnli"), GlueTask::kMnli);
  EXPECT_EQ(glue_task_from_name("qqp"), GlueTask::kQqp);
  EXPECT_EQ(error_of([] { glue_task_from_name("cola"); }),
            "unknown GLUE task 'cola' (valid: sst2, qnli, mnli, qqp)");
}

// ---- UTF-8 validation (through the text reader: one paragraph per line) ----------------------

TEST(ReaderUtf8, AcceptsEveryValidEncoding) {
  const std::string valid[] = {
      "ascii only",
      "\xC3\xA9",              // U+00E9, 2 bytes
      "\xDF\xBF",              // U+07FF, largest 2-byte
      "\xE0\xA0\x80",          // U+0800, smallest 3-byte
      "\xE2\x82\xAC",          // U+20AC
      "\xED\x9F\xBF",          // U+D7FF, just below the surrogates
      "\xEE\x80\x80",          // U+E000, just above them
      "\xEF\xBF\xBD",          // U+FFFD
      "\xF0\x90\x80\x80",      // U+10000, smallest 4-byte
      "\xF0\x9F\x98\x80",      // U+1F600
      "\xF4\x8F\xBF\xBF",      // U+10FFFF, the largest code point
  };
  for (const auto& paragraph : valid) {
    const auto paragraphs = text("x " + paragraph + " y\n");
    ASSERT_EQ(paragraphs.size(), 1u);
    EXPECT_EQ(paragraphs[0], "x " + paragraph + " y");
  }
}

TEST(ReaderUtf8, RejectsEveryInvalidSequence) {
  struct Case {
    std::string bytes;
    std::string reason;
  };
  const Case cases[] = {
      {"\x80", "unexpected continuation byte"},
      {"\xBF", "unexpected continuation byte"},
      {"\xC0\xAF", "overlong encoding"},          // '/' in 2 bytes
      {"\xC1\xBF", "overlong encoding"},
      {"\xE0\x80\xAF", "overlong encoding"},      // '/' in 3 bytes
      {"\xE0\x9F\xBF", "overlong encoding"},      // U+07FF in 3 bytes
      {"\xF0\x80\x80\xAF", "overlong encoding"},  // '/' in 4 bytes
      {"\xF0\x8F\xBF\xBF", "overlong encoding"},  // U+FFFF in 4 bytes
      {"\xED\xA0\x80", "UTF-16 surrogate"},       // U+D800
      {"\xED\xBF\xBF", "UTF-16 surrogate"},       // U+DFFF
      {"\xF4\x90\x80\x80", "code point above U+10FFFF"},
      {"\xF5\x80\x80\x80", "byte never used in UTF-8"},
      {"\xFE", "byte never used in UTF-8"},
      {"\xFF", "byte never used in UTF-8"},
      {"\xC3", "truncated sequence"},  // at the end of the line
      {"\xC3" "A", "truncated sequence"},
      {"\xE2\x82", "truncated sequence"},
      {"\xE2\x82" "A", "truncated sequence"},
      {"\xF0\x9F\x98", "truncated sequence"},
      {"\xF0\x9F\x98 ", "truncated sequence"},
  };
  for (const auto& c : cases) {
    // Line 2, after "ab ": the bad sequence starts at byte 4 of the line.
    EXPECT_EQ(text_error("first line\nab " + c.bytes + "\nlast\n"),
              "mem.raw:2: invalid UTF-8 at byte 4 of the line: " + c.reason)
        << "bytes of length " << c.bytes.size();
  }
}

TEST(ReaderUtf8, RejectsNulBytes) {
  EXPECT_EQ(text_error(std::string("ok\nab\0c\n", 8)),
            "mem.raw:2: NUL byte at byte 3 of the line (not a text file?)");
}

// ---- CoNLL -----------------------------------------------------------------------------------

TEST(ConllReader, Iob2WithDocstart) {
  ReadReport report;
  const auto sentences = conll(
      "-DOCSTART- -X- -X- O\n"
      "\n"
      "EU NNP B-NP B-ORG\n"
      "rejects VBZ B-VP O\n"
      "German JJ B-NP B-MISC\n"
      "call NN I-NP O\n"
      ". . O O\n"
      "\n"
      "Peter NNP B-NP B-PER\n"
      "Blackburn NNP I-NP I-PER\n"
      "\n"
      "-DOCSTART- -X- -X- O\n"
      "\n"
      "BRUSSELS NNP B-NP B-LOC\n"
      "1996-08-22 CD I-NP O\n",
      &report);
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(sentences[0].words,
            (std::vector<std::string>{"EU", "rejects", "German", "call", "."}));
  EXPECT_EQ(sentences[0].tags, (std::vector<std::string>{"B-ORG", "O", "B-MISC", "O", "O"}));
  EXPECT_EQ(sentences[0].line, 3u);
  EXPECT_EQ(sentences[1].words, (std::vector<std::string>{"Peter", "Blackburn"}));
  EXPECT_EQ(sentences[1].tags, (std::vector<std::string>{"B-PER", "I-PER"}));
  EXPECT_EQ(sentences[1].line, 9u);
  EXPECT_EQ(sentences[2].line, 14u);
  EXPECT_EQ(sentences[2].tags, (std::vector<std::string>{"B-LOC", "O"}));
  EXPECT_EQ(report.lines_read, 15u);
}

TEST(ConllReader, Iob1TagsAreKeptAsTheyAre) {
  // The original CoNLL-2003 release: I- starts a chunk, B- only between two of the same type.
  const auto sentences = conll(
      "EU NNP I-NP I-ORG\n"
      "rejects VBZ I-VP O\n"
      "German JJ I-NP I-MISC\n"
      "Peter NNP I-NP I-PER\n"
      "Blackburn NNP I-NP I-PER\n"
      "Paul NNP I-NP B-PER\n");
  ASSERT_EQ(sentences.size(), 1u);
  EXPECT_EQ(sentences[0].tags,
            (std::vector<std::string>{"I-ORG", "O", "I-MISC", "I-PER", "I-PER", "B-PER"}));
}

TEST(ConllReader, IobesTagsTabsAndTwoColumns) {
  const auto sentences = conll(
      "New\tB-LOC\n"
      "York   E-LOC\n"
      "Obama \t S-PER\n"
      "is\tO\n");
  ASSERT_EQ(sentences.size(), 1u);
  EXPECT_EQ(sentences[0].words, (std::vector<std::string>{"New", "York", "Obama", "is"}));
  EXPECT_EQ(sentences[0].tags, (std::vector<std::string>{"B-LOC", "E-LOC", "S-PER", "O"}));
}

TEST(ConllReader, CrlfConsecutiveBlankLinesNoFinalNewline) {
  ReadReport report;
  const auto sentences = conll(
      "\r\n\r\nOne CD B-NP O\r\n\r\n\r\n \t \r\nTwo CD B-NP O\r\nThree CD I-NP O", &report);
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[0].words, (std::vector<std::string>{"One"}));
  EXPECT_EQ(sentences[0].line, 3u);
  EXPECT_EQ(sentences[1].words, (std::vector<std::string>{"Two", "Three"}));
  EXPECT_EQ(sentences[1].tags, (std::vector<std::string>{"O", "O"}));
  EXPECT_EQ(sentences[1].line, 7u);
  EXPECT_EQ(report.lines_read, 8u);
}

TEST(ConllReader, ReadsFromFile) {
  test::ScratchDir dir;
  const auto file = dir.write("train.txt", "-DOCSTART- -X- -X- O\n\nRome NNP B-NP B-LOC\n\n");
  ReadReport report;
  const auto sentences = read_conll(file, report);
  ASSERT_EQ(sentences.size(), 1u);
  EXPECT_EQ(sentences[0].words[0], "Rome");
}

TEST(ConllReader, ColumnCountMustStayTheSame) {
  EXPECT_EQ(conll_error("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ O\n"),
            "mem.txt:4: expected 4 columns (as on line 3), found 3");
  EXPECT_EQ(conll_error("EU NNP B-NP B-ORG\n\nPeter NNP B-NP B-PER extra\n"),
            "mem.txt:3: expected 4 columns (as on line 1), found 5");
}

TEST(ConllReader, AWordNeedsATag) {
  EXPECT_EQ(conll_error("EU B-ORG\nrejects\n"),
            "mem.txt:2: expected at least 2 columns (word first, tag last), found 1");
  EXPECT_EQ(conll_error("\nlonely\n"),
            "mem.txt:2: expected at least 2 columns (word first, tag last), found 1");
}

TEST(ConllReader, InvalidTags) {
  for (const std::string tag : {"B_PER", "B-", "X-PER", "o", "PER", "BB-PER", "-PER", "I"}) {
    EXPECT_EQ(conll_error("EU NNP B-NP B-ORG\nword NN I-NP " + tag + "\n"),
              "mem.txt:2: invalid tag '" + tag +
                  "' (expected O, or B-, I-, E- or S- and a type, e.g. B-PER)");
  }
}

TEST(ConllReader, NoSentences) {
  EXPECT_EQ(conll_error("-DOCSTART- -X- -X- O\n\n\n-DOCSTART- -X- -X- O\n"),
            "mem.txt: no sentences (no word lines)");
  EXPECT_EQ(conll_error("\n \n\t\n"), "mem.txt: no sentences (no word lines)");
}

TEST(ConllReader, WholeFileProblems) {
  test::ScratchDir dir;
  ReadReport report;
  const auto missing = dir.path() / "valid.txt";
  EXPECT_EQ(error_of([&] { read_conll(missing, report); }),
            missing.string() + ": file not found");
  const auto empty = dir.write("empty.txt", "");
  EXPECT_EQ(error_of([&] { read_conll(empty, report); }), empty.string() + ": file is empty");
}

TEST(ConllReader, InvalidUtf8) {
  EXPECT_EQ(conll_error("Z\xC3\xBCrich NNP B-NP B-LOC\nM\xFCnchen NNP B-NP B-LOC\n"),
            "mem.txt:2: invalid UTF-8 at byte 2 of the line: byte never used in UTF-8");
}

// ---- text corpus -----------------------------------------------------------------------------

TEST(TextReader, WikiTextStyle) {
  ReadReport report;
  const auto paragraphs = text(
      " \n = Homarus gammarus = \n \n Homarus gammarus is a lobster . \n \n"
      " = = Description = = \n \n It is 60 @-@ cm long . \n The claws are big . \n",
      &report);
  EXPECT_EQ(paragraphs, (std::vector<std::string>{
                            "= Homarus gammarus =", "Homarus gammarus is a lobster .",
                            "= = Description = =", "It is 60 @-@ cm long .",
                            "The claws are big ."}));
  EXPECT_EQ(report.lines_read, 9u);
}

TEST(TextReader, CrlfWhitespaceLinesAndNoFinalNewline) {
  const auto paragraphs = text("\tfirst\t\r\n\r\n \t \r\n\r\nsecond  paragraph");
  EXPECT_EQ(paragraphs, (std::vector<std::string>{"first", "second  paragraph"}));
}

TEST(TextReader, OnlyBlankLinesFails) {
  EXPECT_EQ(text_error(" \n\n \t \n"), "mem.raw: no paragraphs (all 3 lines are empty)");
}

TEST(TextReader, WholeFileProblems) {
  test::ScratchDir dir;
  ReadReport report;
  const auto missing = dir.path() / "wiki.train.raw";
  EXPECT_EQ(error_of([&] { read_text_corpus(missing, report); }),
            missing.string() + ": file not found");
  const auto empty = dir.write("empty.raw", "");
  EXPECT_EQ(error_of([&] { read_text_corpus(empty, report); }),
            empty.string() + ": file is empty");
  const auto bom_only = dir.write("bom.raw", "\xEF\xBB\xBF");
  EXPECT_EQ(error_of([&] { read_text_corpus(bom_only, report); }),
            bom_only.string() + ": file is empty");
  const auto good = dir.write("good.raw", " = T = \n text \n");
  EXPECT_EQ(read_text_corpus(good, report).size(), 2u);
}

TEST(TextReader, InvalidUtf8NamesTheLine) {
  EXPECT_EQ(text_error("one\ntwo\n\nfour \xED\xB0\x80\n"),
            "mem.raw:4: invalid UTF-8 at byte 6 of the line: UTF-16 surrogate");
}

// ---- the report ------------------------------------------------------------------------------

TEST(ReaderReport, KeepsFiftyWarningsButCountsAll) {
  ReadReport report;
  for (int i = 0; i < 70; ++i) report.warn("w" + std::to_string(i));
  EXPECT_EQ(report.skipped, 70u);
  ASSERT_EQ(report.warnings.size(), 50u);
  EXPECT_EQ(report.warnings.front(), "w0");
  EXPECT_EQ(report.warnings.back(), "w49");
}

TEST(ReaderReport, QqpWithManyMalformedLines) {
  std::string content = "id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n";
  for (int i = 0; i < 80; ++i) content += "broken line " + std::to_string(i) + "\n";
  content += "1\t2\t3\tA?\tB?\t0\n";
  ReadReport report;
  const auto examples = glue(content, GlueTask::kQqp, &report);
  EXPECT_EQ(examples.size(), 1u);
  EXPECT_EQ(report.skipped, 80u);
  EXPECT_EQ(report.warnings.size(), 50u);
  EXPECT_EQ(report.lines_read, 82u);
}

TEST(ReaderReport, AccumulatesOverReads) {
  ReadReport report;
  text("a\nb\n", &report);
  conll("w O\n", &report);
  glue("sentence\tlabel\nx \t1\n", GlueTask::kSst2, &report);
  EXPECT_EQ(report.lines_read, 5u);
  EXPECT_EQ(report.skipped, 0u);
}

}  // namespace
}  // namespace datamux
