// Differential libFuzzer target for the front end's two parse paths: the
// hand-written lexer (parse/FastLexer) with statement-by-statement parsing,
// and the ANTLR-generated lexer with whole-file parsing. For every valid
// UTF-8 input (the loader rejects the rest with E103 before either runs)
// they must produce the same default-channel tokens, the same AST (every
// field and span), the same includes and the same diagnostics. Any
// difference aborts with both versions printed. Much faster than the
// pipeline target, so it explores the lexer far deeper.
//
// The AST dump and token comparison mirror tests/unit/fastlexer_test.cpp.
#include "../support/AstDump.hpp"
#include "diag/DiagnosticEngine.hpp"
#include "parse/FastLexer.hpp"
#include "parse/PolicyLoader.hpp"

#include "NetsepLexer.h"
#include "NetsepParser.h"

#include <CommonTokenStream.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace {

using netsep::DiagnosticEngine;
using netsep::SourceManager;
namespace ast = netsep::ast;

// The loader's check (parse/PolicyLoader.cpp): inputs it rejects never
// reach either lexer.
bool validUtf8(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || (n == 2 && c < 0xc2) || i + n > s.size())
            return false;
        for (size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2)
                return false;
        auto c1 = n > 1 ? static_cast<unsigned char>(s[i + 1]) : 0;
        if (n == 3 && ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 >= 0xa0)))
            return false;
        if (n == 4 && ((c == 0xf0 && c1 < 0x90) || c > 0xf4 || (c == 0xf4 && c1 >= 0x90)))
            return false;
        i += n;
    }
    return true;
}

struct Tok {
    size_t type, line, col, start, stop;
    std::string text;
    bool operator==(const Tok&) const = default;
};

// One line per token, so a mismatch shows where the two lexers part.
std::string show(const std::vector<Tok>& tokens) {
    std::ostringstream o;
    for (const auto& t : tokens)
        o << t.type << " '" << t.text << "' " << t.line << ":" << t.col << " [" << t.start << ","
          << t.stop << "]\n";
    return o.str();
}

std::vector<Tok> generatedTokens(const std::string& text) {
    antlr4::ANTLRInputStream input(text);
    NetsepLexer lexer(&input);
    lexer.removeErrorListeners();
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    std::vector<Tok> out;
    for (auto* t : tokens.getTokens()) {
        if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL)
            continue;
        out.push_back({t->getType(), t->getLine(), t->getCharPositionInLine(), t->getStartIndex(),
                       t->getStopIndex(), t->getType() == antlr4::Token::EOF ? "" : t->getText()});
    }
    return out;
}

std::vector<Tok> fastTokens(const std::string& text) {
    NetsepParser parser(nullptr);
    netsep::parse::FastTokenStream tokens(text, "t.nsp", parser.getVocabulary());
    std::vector<Tok> out;
    for (;;) {
        auto* t = tokens.LT(1);
        out.push_back({t->getType(), t->getLine(), t->getCharPositionInLine(), t->getStartIndex(),
                       t->getStopIndex(), t->getType() == antlr4::Token::EOF ? "" : t->getText()});
        if (t->getType() == antlr4::Token::EOF)
            break;
        tokens.consume();
        tokens.discardConsumed();
    }
    return out;
}

using netsep::test::dump;

std::string parseOneWay(const std::string& text, bool fast) {
    SourceManager sources;
    DiagnosticEngine diags(sources);
    ast::Program program;
    uint32_t id = sources.add("t.nsp", "/t.nsp", text);
    std::string includes;
    auto onInclude = [&](const ast::Word& w) { includes += "include " + w.text + "\n"; };
    if (fast)
        netsep::parseSource(id, sources, diags, program, onInclude);
    else
        netsep::parseSourceWithGeneratedLexer(id, sources, diags, program, onInclude);
    std::ostringstream d;
    diags.print(d);
    return dump(program) + includes + d.str();
}

void mustEqual(const char* what, const std::string& generated, const std::string& fast) {
    if (generated == fast)
        return;
    std::fprintf(stderr, "%s differ\n--- generated lexer:\n%s\n--- fast lexer:\n%s\n", what,
                 generated.c_str(), fast.c_str());
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    if (!validUtf8(text))
        return 0;
    mustEqual("tokens", show(generatedTokens(text)), show(fastTokens(text)));
    mustEqual("parse results", parseOneWay(text, false), parseOneWay(text, true));
    return 0;
}
