// Syntax-error recovery as a property: one mistake in a well-formed policy
// gives at most one syntax error, located in the statement that holds the
// mistake (or at the brace it leaves open) -- never a cascade -- and two
// mistakes in two statements give two errors.
#include "diag/DiagnosticEngine.hpp"
#include "parse/PolicyLoader.hpp"

#include "NetsepLexer.h"

#include <CommonTokenStream.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace {

using netsep::DiagnosticEngine;
using netsep::Severity;
using netsep::SourceManager;

struct Lexeme {
    size_t start, stop; // bytes, inclusive
    size_t type, line;
};

std::vector<Lexeme> lexemes(const std::string& text) {
    antlr4::ANTLRInputStream input(text);
    NetsepLexer lexer(&input);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    std::vector<Lexeme> out;
    for (auto* t : tokens.getTokens())
        if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL && t->getType() != antlr4::Token::EOF)
            out.push_back({t->getStartIndex(), t->getStopIndex(), t->getType(), t->getLine()});
    return out; // shipped policies are ASCII: code points are bytes
}

// Lines [first, last] of each statement: from its keyword to the line before
// the next statement's keyword.
bool startsStatement(size_t type) {
    switch (type) {
    case NetsepLexer::POLICY:
    case NetsepLexer::INCLUDE:
    case NetsepLexer::ZONE:
    case NetsepLexer::IDENTITY:
    case NetsepLexer::SAAS:
    case NetsepLexer::ACCESS:
    case NetsepLexer::EXCEPTION:
    case NetsepLexer::FIREWALL:
    case NetsepLexer::EXPECT:
    case NetsepLexer::WAIVE:
        return true;
    default:
        return false;
    }
}

struct Errors {
    std::vector<uint32_t> lines;
};

Errors syntaxErrors(const std::string& text) {
    SourceManager sources;
    DiagnosticEngine diags(sources);
    netsep::ast::Program program;
    uint32_t id = sources.add("t.nsp", "/t.nsp", text);
    netsep::parseSource(id, sources, diags, program, [](const netsep::ast::Word&) {});
    Errors e;
    for (const auto& d : diags.all())
        if (d.code == "E101")
            e.lines.push_back(d.span.line);
    return e;
}

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Mutates the lexeme `k`: deletes it, doubles it, or puts a stray ';' or a
// stray word after it.
std::string mutate(const std::string& text, const Lexeme& l, int how) {
    const std::string lex = text.substr(l.start, l.stop - l.start + 1);
    switch (how) {
    case 0:
        return text.substr(0, l.start) + text.substr(l.stop + 1);
    case 1:
        return text.substr(0, l.stop + 1) + " " + lex + text.substr(l.stop + 1);
    case 2:
        return text.substr(0, l.stop + 1) + " ;" + text.substr(l.stop + 1);
    default:
        return text.substr(0, l.stop + 1) + " stray" + text.substr(l.stop + 1);
    }
}

} // namespace

TEST_CASE("syntax recovery: one mistake, at most one error, in its own statement") {
    std::mt19937 rng(20261207);
    size_t mutations = 0, reported = 0;
    for (const char* rel :
         {"examples/bank.nsp", "examples/two-tier-dc.nsp",
          "tests/golden/cases/vendor-all-backends.nsp", "tests/golden/analysis/spec-example.nsp"}) {
        const std::string text = readFile(std::filesystem::path(NETSEP_SOURCE_DIR) / rel);
        const auto lex = lexemes(text);
        REQUIRE(lex.size() > 50);
        REQUIRE(syntaxErrors(text).lines.empty());
        // Statement line ranges.
        std::vector<size_t> firstLines;
        for (const auto& l : lex)
            if ((l.start == 0 || text[l.start - 1] == '\n') &&
                (startsStatement(l.type) || l.type == NetsepLexer::SERVICE ||
                 l.type == NetsepLexer::GROUP || l.type == NetsepLexer::DENY))
                firstLines.push_back(l.line);
        auto statementOf = [&](size_t line) {
            auto it = std::upper_bound(firstLines.begin(), firstLines.end(), line);
            return it == firstLines.begin() ? 0 : size_t(it - firstLines.begin());
        };
        for (int n = 0; n < 150; ++n) {
            const Lexeme& l = lex[rng() % lex.size()];
            const int how = int(rng() % 4);
            const std::string broken = mutate(text, l, how);
            const Errors e = syntaxErrors(broken);
            ++mutations;
            INFO(std::string(rel) << ": mutation " << how << " of line " << l.line << " ('"
                                  << text.substr(l.start, l.stop - l.start + 1) << "')");
            CHECK(e.lines.size() <= 1);
            if (!e.lines.empty()) {
                ++reported;
                // In the mutated statement, or (an unclosed brace) in the
                // statement the mutation made swallow the next one.
                CHECK(statementOf(e.lines[0]) <= statementOf(l.line));
                CHECK(statementOf(e.lines[0]) + 1 >= statementOf(l.line));
            }
        }
        // Two mistakes far apart: both reported.
        const Lexeme& a = lex[lex.size() / 4];
        const Lexeme& b = lex[3 * lex.size() / 4];
        if (statementOf(a.line) != statementOf(b.line)) {
            std::string twice = mutate(text, b, 2);
            twice = mutate(twice, a, 2);
            CHECK(syntaxErrors(twice).lines.size() == 2);
        }
    }
    CHECK(reported > mutations / 2); // most mutations do break the syntax
}
