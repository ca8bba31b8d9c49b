// Every status onshi.h declares has its three parts — the clerk's sentence, the next action and
// the technical meaning — in Japanese and English, and docs/abi.md §7 shows the same texts.
#include "util/status_text.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

namespace onshi {
namespace {

std::string read_file(const char *path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// "ONSHI_E_NO_CARD = 102" as onshi.h declares it: parsed from the header, so that a status added
// there without texts fails here. Aliases (one name = another name) have no number and are skipped.
std::map<int, std::string> declared_statuses() {
    const std::string header = read_file(ONSHI_HEADER_FILE);
    const std::regex declaration(R"(\b(ONSHI_(?:OK|E_[A-Z0-9_]+))\s*=\s*([0-9]+))");
    std::map<int, std::string> out;
    for (auto it = std::sregex_iterator(header.begin(), header.end(), declaration); it != std::sregex_iterator(); ++it)
        out.emplace(std::stoi((*it)[2].str()), (*it)[1].str());
    return out;
}

bool has_japanese(const std::string &s) {
    // Hiragana, katakana and the CJK ideographs are all three-byte UTF-8 sequences from E3 to E9.
    for (unsigned char c : s)
        if (c >= 0xE3 && c <= 0xE9) return true;
    return false;
}

// English texts may quote one Japanese term ("目視確認") but must read as English around it.
bool reads_as_english(const std::string &s) {
    std::size_t ascii_letters = 0;
    std::size_t japanese_chars = 0;
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) ++ascii_letters;
        if (c >= 0xE3 && c <= 0xE9) ++japanese_chars;  // lead bytes only: one per character
    }
    return ascii_letters >= 4 && japanese_chars <= 4;
}

void expect_part(const std::string &name, const char *what, const StatusTexts &t) {
    ASSERT_NE(t.ja, nullptr) << name << " " << what;
    ASSERT_NE(t.en, nullptr) << name << " " << what;
    EXPECT_TRUE(has_japanese(t.ja)) << name << " " << what << " (ja): " << t.ja;
    EXPECT_TRUE(reads_as_english(t.en)) << name << " " << what << " (en): " << t.en;
}

TEST(StatusText, EveryDeclaredStatusHasItsThreePartsInBothLanguages) {
    const auto declared = declared_statuses();
    ASSERT_GT(declared.size(), 40u) << "onshi.h was not parsed";
    for (const auto &[code, name] : declared) {
        const auto status = static_cast<onshi_status>(code);
        ASSERT_TRUE(status_is_known(status)) << name << " has no texts";
        EXPECT_EQ(status_name(status), name);
    }
    std::size_t count = 0;
    const StatusEntry *entries = status_entries(&count);
    EXPECT_EQ(count, declared.size()) << "the table has a status onshi.h does not declare";
    for (std::size_t i = 0; i < count; ++i) {
        const StatusEntry &e = entries[i];
        expect_part(e.name, "sentence", e.sentence);
        expect_part(e.name, "action", e.action);
        expect_part(e.name, "meaning", e.meaning);
    }
}

TEST(StatusText, NoPartRepeatsAnother) {
    std::size_t count = 0;
    const StatusEntry *entries = status_entries(&count);
    for (std::size_t i = 0; i < count; ++i) {
        const StatusEntry &e = entries[i];
        for (const char *locale : {"ja", "en"}) {
            const std::string sentence = e.sentence.in(locale);
            const std::string action = e.action.in(locale);
            const std::string meaning = e.meaning.in(locale);
            EXPECT_EQ(action.find(sentence), std::string::npos) << e.name << " (" << locale << "): action repeats the sentence";
            EXPECT_EQ(sentence.find(action), std::string::npos) << e.name << " (" << locale << "): sentence repeats the action";
            EXPECT_NE(sentence, meaning) << e.name << " (" << locale << "): the meaning only repeats the sentence";
        }
    }
}

TEST(StatusText, ClerkTextsSpeakToStaff) {
    std::size_t count = 0;
    const StatusEntry *entries = status_entries(&count);
    for (std::size_t i = 0; i < count; ++i) {
        const StatusEntry &e = entries[i];
        for (const std::string text : {e.sentence.ja, e.action.ja, e.sentence.en, e.action.en}) {
            // "host" (ホスト) is the program that loads onshi, a word staff do not know.
            EXPECT_EQ(text.find("ホスト"), std::string::npos) << e.name << ": " << text;
            EXPECT_EQ(text.find("host"), std::string::npos) << e.name << ": " << text;
            EXPECT_EQ(text.find("onshi_"), std::string::npos) << e.name << ": " << text;
            EXPECT_EQ(text.find("ONSHI_"), std::string::npos) << e.name << ": " << text;
        }
    }
}

TEST(StatusText, UnknownStatusStillHasTexts) {
    const auto unknown = static_cast<onshi_status>(9999);
    EXPECT_STREQ(status_name(unknown), "ONSHI_E_UNKNOWN");
    for (const char *locale : {"ja", "en"}) {
        EXPECT_STRNE(status_message(unknown, locale), "");
        EXPECT_STRNE(status_action(unknown, locale), "");
        EXPECT_STRNE(status_meaning(unknown, locale), "");
    }
}

// docs/abi.md §7 is where host developers read the texts: one row per status with the same
// sentence and action in both languages and the same meaning as the code hands out.
TEST(StatusText, DocsTableShowsTheSameTexts) {
    const std::string doc = read_file(ONSHI_ABI_DOC_FILE);
    ASSERT_NE(doc.find("## 7. Status codes"), std::string::npos) << "docs/abi.md has no status section";
    std::size_t count = 0;
    const StatusEntry *entries = status_entries(&count);
    for (std::size_t i = 0; i < count; ++i) {
        const StatusEntry &e = entries[i];
        const std::string key = "| `" + std::string(e.name) + "` |";
        const std::size_t at = doc.find(key, doc.find("## 7. Status codes"));
        ASSERT_NE(at, std::string::npos) << e.name << " has no row in docs/abi.md";
        const std::size_t line_start = doc.rfind('\n', at) + 1;
        const std::string row = doc.substr(line_start, doc.find('\n', at) - line_start);
        for (const char *text : {e.sentence.ja, e.sentence.en, e.action.ja, e.action.en, e.meaning.en})
            EXPECT_NE(row.find(text), std::string::npos) << e.name << ": docs/abi.md does not say \"" << text << "\"";
    }
}

}  // namespace
}  // namespace onshi
