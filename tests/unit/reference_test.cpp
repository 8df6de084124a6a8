// docs/reference.md against the program: its table of diagnostic codes
// against the registry the diagnostics engine enforces, every registered
// code against the tests that show it being emitted, the statement forms
// against the grammar and the syntax-error notes.
#include "audit/AuditRule.hpp"
#include "diag/DiagnosticCodes.hpp"
#include "parse/StatementSyntax.hpp"

#include "NetsepParser.h"

#include <atn/ATN.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;
using namespace netsep;

namespace {

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string reference() {
    return readFile(fs::path(NETSEP_SOURCE_DIR) / "docs/reference.md");
}

std::string severityText(unsigned mask) {
    std::vector<std::string> parts;
    if (mask & diag::kError)
        parts.push_back("error");
    if (mask & diag::kWarning)
        parts.push_back("warning");
    if (mask & diag::kNote)
        parts.push_back("note");
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i ? " or " : "") + parts[i];
    return out;
}

std::string trim(std::string s) {
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    while (!s.empty() && s.front() == ' ')
        s.erase(s.begin());
    return s;
}

struct Row {
    std::string severity, title;
};

// A diagnostic code: 1-3 capitals, an optional '-', three digits.
bool isCode(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && i < 3 && s[i] >= 'A' && s[i] <= 'Z')
        ++i;
    if (i == 0)
        return false;
    if (i < s.size() && s[i] == '-')
        ++i;
    if (s.size() != i + 3)
        return false;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

// Rows `| CODE | severity | title | ... |` of the reference's code tables.
// Parsed by hand: std::regex trips GCC 12's -Wmaybe-uninitialized under ASan.
std::map<std::string, Row> documentedCodes(const std::string& doc) {
    std::map<std::string, Row> out;
    std::istringstream in(doc);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("| ", 0) != 0)
            continue;
        std::vector<std::string> cells;
        size_t pos = 1;
        for (size_t bar; (bar = line.find('|', pos)) != std::string::npos; pos = bar + 1)
            cells.push_back(line.substr(pos, bar - pos));
        if (cells.size() < 3)
            continue;
        std::string code = trim(cells[0]);
        if (code.size() > 2 && code.front() == '`' && code.back() == '`')
            code = code.substr(1, code.size() - 2);
        if (!isCode(code))
            continue;
        bool fresh = out.emplace(code, Row{trim(cells[1]), trim(cells[2])}).second;
        CHECK_MESSAGE(fresh, "code " << code << " is listed twice in docs/reference.md");
    }
    return out;
}

// Whether `word` occurs in `text` not flanked by [A-Za-z0-9-].
bool containsWord(const std::string& text, std::string_view word) {
    auto inWord = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-';
    };
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
        bool left = at == 0 || !inWord(text[at - 1]);
        size_t end = at + word.size();
        bool right = end == text.size() || !inWord(text[end]);
        if (left && right)
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("reference: the diagnostic-code table lists exactly the registered codes") {
    const auto documented = documentedCodes(reference());
    REQUIRE(documented.size() > 40);
    for (const diag::CodeInfo& c : diag::diagnosticCodes()) {
        auto it = documented.find(std::string(c.code));
        if (it == documented.end()) {
            FAIL_CHECK("code " << c.code << " is missing from docs/reference.md");
            continue;
        }
        CHECK_MESSAGE(it->second.severity == severityText(c.severities),
                      c.code << ": docs say '" << it->second.severity << "', the code '"
                             << severityText(c.severities) << "'");
        CHECK_MESSAGE(it->second.title == c.title, c.code << ": docs title '" << it->second.title
                                                          << "', registry '" << c.title << "'");
    }
    // Not a structured binding: clang 14 cannot capture one in doctest's lambda.
    for (const auto& entry : documented)
        CHECK_MESSAGE(diag::findCode(entry.first) != nullptr,
                      "docs/reference.md lists " << entry.first << ", which netsep never reports");
}

TEST_CASE("reference: the audit rules and the registry agree") {
    for (const audit::AuditRule& r : audit::auditRules()) {
        const diag::CodeInfo* c = diag::findCode(r.id);
        REQUIRE_MESSAGE(c, "audit rule " << r.id << " is not registered");
        CHECK_MESSAGE((c->severities & diag::maskOf(r.severity)), r.id);
    }
}

TEST_CASE("reference: every registered code is emitted by some test") {
    // The tests' expectations (goldens, scripts, unit tests) name each code
    // they see emitted; a code none of them names is dead or untested.
    std::string corpus;
    const fs::path tests = fs::path(NETSEP_SOURCE_DIR) / "tests";
    for (auto it = fs::recursive_directory_iterator(tests); it != fs::end(it); ++it) {
        if (it->is_directory() && it->path().filename() == "node_modules") {
            it.disable_recursion_pending();
            continue;
        }
        const fs::path& p = it->path();
        const std::string ext = p.extension().string();
        if (!it->is_regular_file() || ext == ".nsp" || ext == ".inc" ||
            p.filename() == "reference_test.cpp")
            continue;
        corpus += readFile(p);
        corpus += '\n';
    }
    for (const diag::CodeInfo& c : diag::diagnosticCodes()) {
        CHECK_MESSAGE(containsWord(corpus, c.code),
                      "no test under tests/ shows code " << c.code << " being emitted");
    }
}

TEST_CASE("reference: statement forms match the grammar and the reference") {
    NetsepParser parser(nullptr);
    const antlr4::atn::ATN& atn = parser.getATN();
    const auto starts = atn.nextTokens(atn.ruleToStartState[NetsepParser::RuleStatement]);
    std::set<std::string> keywords;
    for (size_t t : starts.toList()) {
        std::string lit = parser.getVocabulary().getLiteralName(t);
        keywords.insert(lit.substr(1, lit.size() - 2));
    }
    std::set<std::string> formed;
    const std::string doc = reference();
    for (const auto& entry : parse::statementForms()) {
        const std::string keyword(entry.first), form(entry.second);
        formed.insert(keyword);
        CHECK_MESSAGE(doc.find("`" + form + "`") != std::string::npos,
                      "docs/reference.md does not give the form of '" << keyword << "': `" << form
                                                                      << "`");
    }
    CHECK(formed == keywords);
}
